"""The database clock: one time for every web node and worker."""

import datetime

from django.db import connection
from django.utils import timezone


def db_now() -> datetime.datetime:
    """Return the database server's current time (aware, UTC).

    On PostgreSQL this is `clock_timestamp()`: the real time now, not the
    start of the transaction. SQLite (the embedded demo) has no server clock
    worth trusting more than the process's, so it uses the process clock.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0].astimezone(datetime.UTC)
    return timezone.now().astimezone(datetime.UTC)
