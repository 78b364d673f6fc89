"""Transactional tests start from an empty trail, emptied by the owner, never the runtime role.

tests/database_roles.py lists the owner's connection among every transactional
test's databases, so Django's flush at its end runs as the owner; then the
genesis chain head is made again, as migration 0003 made it. The two tests run
in this order (pytest-django keeps the file order among transactional tests).
"""

import pytest
from django.db import connections

from audit.models import GENESIS_HASH, ChainHead, Event, MerkleNode

from .factories import head, make_events


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_events_behind():
    # given events committed by a transactional test: its teardown must empty the trail
    make_events(20)
    assert Event.objects.count() == 20
    assert MerkleNode.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_next_test_starts_from_the_genesis_head():
    # then the flush emptied the trail and the tree, and the head is back at genesis
    assert Event.objects.count() == 0
    assert MerkleNode.objects.count() == 0
    assert head() == (0, GENESIS_HASH)
    assert bytes(ChainHead.objects.get().frontier) == b""
    # and the chain restarts at 1
    (event,) = make_events(1)
    assert event.seq == 1


@pytest.mark.dbroles
@pytest.mark.django_db(transaction=True)
def test_the_tests_run_as_the_runtime_role_and_flush_as_the_owner():
    default, owner = connections["default"], connections["owner"]
    assert default.settings_dict["NAME"] == owner.settings_dict["NAME"]
    with default.cursor() as cursor:
        cursor.execute("SELECT current_user, has_table_privilege('audit_event', 'TRUNCATE')")
        assert cursor.fetchone() == (default.settings_dict["USER"], False)
    with owner.cursor() as cursor:
        cursor.execute("SELECT current_user, has_table_privilege('audit_event', 'TRUNCATE')")
        assert cursor.fetchone() == (owner.settings_dict["USER"], True)
