"""`audit.services.record`: each event hashed as RFC 8785 JSON, chained, and a leaf of the tree."""

import datetime
import math
from decimal import Decimal

import pytest
from django.db import transaction

from accounts.models import Role
from audit import merkle
from audit.exceptions import ChainHeadMissing, UnrecordablePayload
from audit.models import GENESIS_HASH, ChainHead, Event, MerkleNode, Person
from audit.services import record
from core.models import OutboxMessage
from tests.factories import make_member

from .factories import as_owner, expected_body, expected_hash, expected_leaf, head, make_events

pytestmark = pytest.mark.django_db


def test_record_chains_each_event_to_the_one_before():
    # given an officer acting for their organisation
    officer = make_member(Role.PROCUREMENT_OFFICER, email="officer@example.org", name="Ava Rahimi")
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
    one, two = Event.objects.order_by("seq")
    person = Person.objects.get()
    assert (one.seq, two.seq) == (1, 2)
    # the actor is a pseudonym; the name and address live beside the chain, in Person
    assert one.actor_id == person.pseudonym
    assert (person.user, person.name, person.email) == (
        officer,
        "Ava Rahimi",
        "officer@example.org",
    )
    assert (one.actor_user, one.actor_name) == (officer, "Ava Rahimi")
    assert one.organisation_id == organisation.pk
    assert one.role == "procurement_officer"
    assert one.action == "tender.published"
    assert (one.object_type, one.object_id) == ("accounts.organisation", str(organisation.pk))
    assert one.object_repr == organisation.name
    # dates and decimals become strings; the payload is stored as it was hashed
    assert one.payload == {"fee": "12.50", "day": "2026-03-21", "title": "پنجره"}
    assert one.reason == "Approved by the board"
    assert one.prev_hash == GENESIS_HASH
    assert two.prev_hash == one.hash
    assert (two.actor_id, two.organisation_id, two.role) == (None, None, "")
    assert (two.object_type, two.object_id, two.object_repr, two.payload) == ("", "", "", {})
    # and each hash, recomputed independently (the rfc8785 package) from the row, is the one kept
    assert one.hash == expected_hash(expected_body(one)) == first.hash
    assert two.hash == expected_hash(expected_body(two)) == second.hash
    # and the chain head points at the last event, its frontier at the tree of both leaves
    assert head() == (2, two.hash)
    frontier = merkle.frontier_unpack(bytes(ChainHead.objects.get().frontier))
    leaves = [expected_leaf(expected_body(e), e.hash) for e in (one, two)]
    assert frontier == [merkle.node_hash(*leaves)]


def test_the_hashed_body_holds_no_name_or_address():
    # given a person whose name and address are on their account
    officer = make_member(Role.PROCUREMENT_OFFICER, email="ava@roads.example", name="Ava Rahimi")

    # when they act on their own account
    event = record(action="user.logged_in", actor=officer, obj=officer)

    # then neither their name nor their address is in what the hash covers
    body = str(expected_body(Event.objects.get(seq=event.seq)))
    assert "Ava" not in body and "ava@roads.example" not in body
    assert Event.objects.get().object_repr == f"user #{officer.pk}"


def test_one_person_keeps_one_pseudonym_and_the_side_table_follows_renames():
    officer = make_member(Role.PROCUREMENT_OFFICER, name="Ava Rahimi")
    first = record(action="test.one", actor=officer)
    officer.name = "Ava Rahimi-Tehrani"
    officer.save(update_fields=["name"])
    del officer._audit_person

    second = record(action="test.two", actor=officer)

    assert first.actor_id == second.actor_id
    assert Person.objects.get().name == "Ava Rahimi-Tehrani"


def test_every_sixteenth_event_stores_a_complete_subtree():
    # when 47 events are recorded
    events = make_events(47)

    # then the complete subtrees of 16 and 32 leaves are stored, and nothing smaller
    stored = sorted(MerkleNode.objects.values_list("level", "index"))
    assert stored == [(4, 0), (4, 1), (5, 0)]
    leaves = [expected_leaf(expected_body(e), e.hash) for e in Event.objects.order_by("seq")]
    assert bytes(MerkleNode.objects.get(level=5, index=0).hash) == _naive_root(leaves[:32])
    # and the head's frontier is the tree of all 47
    frontier = merkle.frontier_unpack(bytes(ChainHead.objects.get().frontier))
    assert merkle.frontier_root(frontier) == _naive_root(leaves)
    assert len(events) == 47


def _naive_root(leaves):
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << (len(leaves) - 1).bit_length() - 1
    return merkle.node_hash(_naive_root(leaves[:k]), _naive_root(leaves[k:]))


def test_recorded_moments_are_in_sequence_order():
    make_events(5)

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


@pytest.mark.parametrize(
    ("payload", "path", "problem"),
    [
        ({"amount": 12.5}, "payload.amount", "a floating-point number: use a string (Decimal)"),
        ({"zero": -0.0}, "payload.zero", "a floating-point number: use a string (Decimal)"),
        ({"x": math.nan}, "payload.x", "a floating-point number: use a string (Decimal)"),
        ({"x": [1, math.inf]}, "payload.x[1]", "a floating-point number: use a string (Decimal)"),
        ({"big": 2**53}, "payload.big", "an integer beyond ±(2**53 - 1): use a string"),
        ({"email": "a"}, "payload.email", "a secret or personal data"),
        ({"Password": "x"}, "payload.Password", "a secret or personal data"),
        ({"to": "ava@roads.example"}, "payload.to", "an e-mail address (personal data)"),
    ],
)
def test_a_payload_the_trail_cannot_keep_is_refused_before_anything_is_written(
    payload, path, problem
):
    # given one event on the record
    (kept,) = make_events(1)

    # when an action with such a payload is recorded inside a caller's transaction
    with pytest.raises(UnrecordablePayload) as refused, transaction.atomic():
        record(action="test.refused", payload=payload)

    # then the refusal says where and why, with a stable code, and nothing was written
    assert refused.value.code == "audit.unrecordable_payload"
    assert refused.value.params == {"path": path, "problem": problem}
    assert str(refused.value) == f"The audit record cannot hold {problem} at {path}."
    assert list(Event.objects.values_list("seq", flat=True)) == [1]
    assert head() == (1, kept.hash)
    assert OutboxMessage.objects.count() == 0


def test_the_largest_safe_integer_is_kept():
    event = record(action="test.big", payload={"n": 2**53 - 1, "m": -(2**53 - 1)})

    assert Event.objects.get(seq=event.seq).payload == {
        "n": 9007199254740991,
        "m": -9007199254740991,
    }


@pytest.mark.django_db(transaction=True)
def test_a_missing_chain_head_is_refused_never_restarted():
    # given three events, and a chain head removed by the owner (maintenance gone wrong)
    make_events(3)
    with as_owner() as db:
        db.heads.all().delete()

    # when the next event is recorded, it is refused: a new genesis would hide the first three
    with pytest.raises(ChainHeadMissing) as refused:
        record(action="tender.published")

    assert refused.value.code == "audit.chain_head_missing"
    assert list(Event.objects.values_list("seq", flat=True)) == [1, 2, 3]
    assert not ChainHead.objects.exists()


def test_a_value_json_cannot_hold_is_refused():
    with pytest.raises(UnrecordablePayload) as refused, transaction.atomic():
        record(action="test.refused", payload={"x": {"y": b"raw"}})

    assert refused.value.params == {"path": "payload", "problem": "a value JSON cannot hold"}
    assert Event.objects.count() == 0
