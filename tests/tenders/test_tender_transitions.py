"""Every transition of the tender state machine, legal and illegal."""

import pytest

from audit.models import Event
from audit.services import CHECKPOINT_TOPIC
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders import services
from tenders.exceptions import TenderInvalidTransition
from tenders.models import Tender, TenderState

from .factories import tender_in_state

pytestmark = pytest.mark.django_db

STATES = ["draft", "awaiting_approval", "published", "closed", "cancelled", "unsuccessful"]


def _submit(tender, team):
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    return team.officer, ""


def _return(tender, team):
    services.tender_return_to_draft(
        actor=team.approver, tender=tender, reasons="The fee is too high."
    )
    return team.approver, "The fee is too high."


def _approve(tender, team):
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    return team.approver, ""


def _close(tender, team):
    with frozen_at(tender.submission_deadline):
        services.tender_close(tender=tender)
    return None, ""


def _cancel(tender, team):
    services.tender_cancel(actor=team.officer, tender=tender, reason="The budget was withdrawn.")
    return team.officer, "The budget was withdrawn."


def _unsuccessful(tender, team):
    services.tender_declare_unsuccessful(actor=team.officer, tender=tender, reason="No valid bid.")
    return team.officer, "No valid bid."


TRANSITIONS = {
    # name: (service, audit action, {legal source: target})
    "submit_for_approval": (
        _submit,
        "tender.submitted_for_approval",
        {"draft": "awaiting_approval"},
    ),
    "return_to_draft": (_return, "tender.returned_to_draft", {"awaiting_approval": "draft"}),
    "approve_and_publish": (_approve, "tender.published", {"awaiting_approval": "published"}),
    "close": (_close, "tender.closed", {"published": "closed"}),
    "cancel": (
        _cancel,
        "tender.cancelled",
        {
            "draft": "cancelled",
            "awaiting_approval": "cancelled",
            "published": "cancelled",
            "closed": "cancelled",
        },
    ),
    "declare_unsuccessful": (_unsuccessful, "tender.unsuccessful", {"closed": "unsuccessful"}),
}
# Closing a closed tender is not illegal but a no-op (see test_tender_close_due.py).
IDEMPOTENT = {("close", "closed")}

LEGAL = [
    (name, source, target)
    for name, (_f, _a, graph) in TRANSITIONS.items()
    for source, target in graph.items()
]
ILLEGAL = [
    (name, source)
    for name, (_f, _a, graph) in TRANSITIONS.items()
    for source in STATES
    if source not in graph and (name, source) not in IDEMPOTENT
]


@pytest.mark.parametrize(("name", "source", "target"), LEGAL)
def test_legal_transition_changes_state_and_writes_its_event(name, source, target):
    # given
    tender, team = tender_in_state(source)
    service, action, _graph = TRANSITIONS[name]
    last_seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    outbox_before = OutboxMessage.objects.exclude(topic=CHECKPOINT_TOPIC).count()

    # when
    actor, reason = service(tender, team)

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.state == target
    event = Event.objects.get(seq__gt=last_seq, action=action)
    assert event.actor_user == actor
    assert event.object_type == "tenders.tender"
    assert event.object_id == str(tender.pk)
    assert event.payload["from"] == source
    assert event.payload["to"] == target
    assert event.reason == reason
    assert Event.objects.filter(seq__gt=last_seq).count() == 1
    # one notification message per transition
    assert OutboxMessage.objects.exclude(topic=CHECKPOINT_TOPIC).count() == outbox_before + 1
    # and publication and closing are milestones, signed in a checkpoint once they commit
    milestones = {"tender.published", "tender.closed"}
    checkpoints = OutboxMessage.objects.filter(topic=CHECKPOINT_TOPIC, payload={"reason": action})
    assert checkpoints.count() == (1 if action in milestones else 0)


@pytest.mark.parametrize(("name", "source"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(name, source, nothing_written):
    # given
    tender, team = tender_in_state(source)
    service, _action, _graph = TRANSITIONS[name]

    # when / then
    with nothing_written(), pytest.raises(TenderInvalidTransition) as raised:
        service(tender, team)
    assert raised.value.code == "tender.invalid_transition"
    assert raised.value.status == 409
    assert raised.value.params["from"] == source
    assert Tender.objects.get(pk=tender.pk).state == source


def test_the_tests_cover_every_state():
    # then every state of the model is tried as a source of every transition
    assert set(STATES) == set(TenderState.values)
