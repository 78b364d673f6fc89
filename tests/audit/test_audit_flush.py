"""Transactional tests still empty the database although the audit trail refuses TRUNCATE.

tests/audit_flush.py turns `panjere.audit_maintenance` on only for the flush
that ends a transactional test. The two tests run in this order (pytest-django
keeps the file order among transactional tests).
"""

import pytest
from django.db import connection

from audit.models import MAINTENANCE_SETTING, ChainHead, Event

from .factories import make_events


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_leaves_events_behind():
    # given events committed by a transactional test: its teardown must truncate them
    make_events(3)
    assert Event.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_next_test_starts_empty_with_truncate_refused_again():
    # then the flush emptied the trail and the chain head
    assert Event.objects.count() == 0
    assert not ChainHead.objects.exists()
    # and the maintenance setting is not on in this test's connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true)", [MAINTENANCE_SETTING])
            assert cursor.fetchone()[0] in (None, "")
    # and the chain restarts at 1
    (event,) = make_events(1)
    assert event.seq == 1
