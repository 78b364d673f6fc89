"""Let the database flush of transactional tests empty the audit trail.

On PostgreSQL the audit tables refuse TRUNCATE (audit.Event and
audit.ChainHead `refuse_truncate` triggers) unless the session setting
`panjere.audit_maintenance` is 'on' (audit.models.MAINTENANCE_SETTING).
pytest-django's transactional tests (`django_db(transaction=True)`,
`transactional_db`, `live_server`) end by emptying every table of every app
with one TRUNCATE. The fixture below turns the setting on just before that
flush, and only then: Django closes the connection right after the flush, so
no later statement (no test) ever runs with it on.

Registered for the whole suite in tests/conftest.py (`pytest_plugins`).
"""

import pytest
from django.db import connections
from pytest_django.fixtures import validate_django_db

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _audit_flush_allowed(request, django_db_blocker):
    if not _is_transactional(request):
        yield
        return
    # Set up after the database helper, so torn down just before its flush.
    request.getfixturevalue("_django_db_helper")
    yield
    from audit.models import MAINTENANCE_SETTING

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config(%s, 'on', false)", [MAINTENANCE_SETTING])
