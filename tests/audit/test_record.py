"""`audit.services.record`: each event is hashed over its content and the previous hash."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import Role
from audit.models import GENESIS_HASH, ChainHead, Event
from audit.services import record
from tests.factories import make_member

from .factories import expected_body, expected_hash, head, make_events, tampering

pytestmark = pytest.mark.django_db


def test_record_chains_each_event_to_the_one_before():
    # given an officer acting for their organisation
    officer = make_member(Role.PROCUREMENT_OFFICER, email="officer@example.org")
    organisation = officer.memberships.get().organisation

    # when an action of theirs and one of the platform are recorded
    first = record(
        action="tender.published",
        actor=officer,
        obj=organisation,
        payload={"fee": Decimal("12.50"), "day": datetime.date(2026, 3, 21), "title": "پنجره"},
        reason="Approved by the board",
        organisation=organisation,
        role=Role.PROCUREMENT_OFFICER,
    )
    second = record(action="platform.swept")

    # then both are stored with sequence numbers 1 and 2, chained from the genesis hash
    stored = list(Event.objects.order_by("seq"))
    assert [event.seq for event in stored] == [1, 2]
    one, two = stored
    assert one.actor_id == officer.pk
    assert one.actor_label == "officer@example.org"
    assert one.organisation_id == organisation.pk
    assert one.role == "procurement_officer"
    assert one.action == "tender.published"
    assert one.object_type == "accounts.organisation"
    assert one.object_id == str(organisation.pk)
    assert one.object_repr == organisation.name
    # dates and decimals become strings; the payload is stored as it was hashed
    assert one.payload == {"fee": "12.50", "day": "2026-03-21", "title": "پنجره"}
    assert one.reason == "Approved by the board"
    assert one.prev_hash == GENESIS_HASH
    assert two.prev_hash == one.hash
    assert (two.actor_id, two.actor_label, two.organisation_id, two.role) == (None, "", None, "")
    assert (two.object_type, two.object_id, two.object_repr, two.payload) == ("", "", "", {})
    # and each hash, recomputed independently from the stored row, is the one recorded
    assert one.hash == expected_hash(expected_body(one)) == first.hash
    assert two.hash == expected_hash(expected_body(two)) == second.hash
    assert len(one.hash) == 64
    # and the chain head points at the last event
    assert head() == (2, two.hash)


def test_recorded_moments_are_in_sequence_order():
    # when five events are recorded one after the other
    make_events(5)

    # then their database times never go backwards
    moments = list(Event.objects.order_by("seq").values_list("recorded_at", flat=True))
    assert moments == sorted(moments)


def test_an_event_rolls_back_with_the_callers_transaction():
    # given one event on the record
    (kept,) = make_events(1)

    # when a caller records an event and then fails
    with pytest.raises(RuntimeError), transaction.atomic():
        record(action="tender.published")
        raise RuntimeError("the caller's own write failed")

    # then neither the event nor the head's move survives, and the next append continues the chain
    assert list(Event.objects.values_list("seq", flat=True)) == [1]
    assert head() == (1, kept.hash)
    nxt = record(action="tender.published")
    assert (nxt.seq, nxt.prev_hash) == (2, kept.hash)


def test_a_lost_chain_head_is_rebuilt_from_the_last_event():
    # given three events, and a chain head that went missing (maintenance gone wrong)
    events = make_events(3)
    with tampering():
        ChainHead.objects.all().delete()

    # when the next event is recorded
    nxt = record(action="tender.published")

    # then it continues after the last event instead of restarting the chain
    assert (nxt.seq, nxt.prev_hash) == (4, events[-1].hash)
    assert head() == (4, nxt.hash)
