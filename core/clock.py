"""The database clock: one time for every web node and worker."""

import contextlib
import datetime

from django.db import connection
from django.utils import timezone

# Set only by `frozen_at`, for tests and drills that need a fixed "now" in
# every thread of the process (web requests and an in-process Celery worker).
_frozen: datetime.datetime | None = None


def db_now() -> datetime.datetime:
    """Return the database server's current time (aware, UTC).

    On PostgreSQL this is `clock_timestamp()`: the real time now, not the
    start of the transaction. SQLite (the embedded demo) has no server clock
    worth trusting more than the process's, so it uses the process clock.
    """
    if _frozen is not None:
        return _frozen
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT clock_timestamp()")
            return cursor.fetchone()[0].astimezone(datetime.UTC)
    return timezone.now().astimezone(datetime.UTC)


@contextlib.contextmanager
def frozen_at(moment: datetime.datetime):
    """Make `db_now()` return `moment` in every thread until the block ends."""
    global _frozen
    if timezone.is_naive(moment):
        raise ValueError("frozen_at needs an aware datetime")
    previous, _frozen = _frozen, moment.astimezone(datetime.UTC)
    try:
        yield
    finally:
        _frozen = previous
