"""The test database: made and emptied by the owner, used by the runtime role.

As in production, two roles share one database (config/settings/test.py):
the owner ("owner" alias, DATABASE_MIGRATE_URL) creates the test database,
runs the migrations (which grant the runtime role its rights) and empties it
after each transactional test; the tests run as the runtime role ("default",
DATABASE_URL), which may only append to the audit trail. Nothing here flips a
switch the runtime role could flip: the runtime role never empties anything.

- `django_db_setup` always sets up the owner's database, which "default"
  mirrors, so that "default" can never point at a non-test database.
- Transactional tests also list "owner" among their databases, so that
  Django's flush at their end runs on the owner's connection (it skips
  mirrors).
- After that flush, the chain head its migration made is made again, as the
  owner: the runtime role could not, and `record` refuses a missing head.

Registered for the whole suite in tests/conftest.py (`pytest_plugins`).
"""

import pytest
from django.db import connections
from pytest_django.fixtures import _get_databases_for_setup, validate_django_db

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        transaction, reset_sequences, databases, serialized_rollback, available_apps = (
            validate_django_db(marker) if marker is not None else (False, False, None, False, None)
        )
        fixtures = set(getattr(item, "fixturenames", ()))
        if not (transaction or reset_sequences or TRANSACTIONAL_FIXTURES & fixtures):
            continue
        if databases == "__all__":
            continue
        databases = set(databases or ["default"])
        if "owner" in databases:
            continue
        # Prepended, so that it is the closest marker pytest-django reads.
        item.add_marker(
            pytest.mark.django_db(
                transaction=True,
                reset_sequences=reset_sequences,
                databases=sorted(databases | {"owner"}),
                serialized_rollback=serialized_rollback,
                available_apps=available_apps,
            ),
            append=False,
        )


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """pytest-django's, with the owner's database always set up and closed before teardown."""
    from django.test.utils import setup_databases, teardown_databases

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=request.config.option.verbose,
            interactive=False,
            aliases=aliases | {"owner"},
            serialized_aliases=serialized_aliases,
        )
    yield
    with django_db_blocker.unblock():
        # The runtime role's connection to the test database would keep it from being dropped.
        connections.close_all()
        teardown_databases(config, verbosity=request.config.option.verbose)


def remake_chain_head(sender, using, **kwargs):
    """After a flush (it sends post_migrate), make the genesis head as migration 0003 did."""
    if sender.label != "audit":
        return
    from audit.models import GENESIS_HASH, ChainHead

    ChainHead.objects.using(using).get_or_create(
        pk=1, defaults={"seq": 0, "hash": GENESIS_HASH, "frontier": b""}
    )


def pytest_configure(config):
    from django.db.models.signals import post_migrate

    post_migrate.connect(remake_chain_head, dispatch_uid="tests.remake_chain_head")
