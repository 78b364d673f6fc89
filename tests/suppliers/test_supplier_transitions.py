"""Every transition of the supplier state machine, legal and illegal."""

import datetime

import pytest

from audit.models import Event
from core.models import OutboxMessage
from suppliers import services
from suppliers.exceptions import SupplierInvalidTransition
from suppliers.models import Supplier

from .factories import oversight_admin, supplier_in_state

pytestmark = pytest.mark.django_db

STATES = ["draft", "submitted", "changes_requested", "verified", "suspended", "debarred"]


def _submit(supplier, admin, reviewer):
    return services.supplier_submit(actor=admin, supplier=supplier), admin, ""


def _request_changes(supplier, admin, reviewer):
    services.supplier_request_changes(
        actor=reviewer,
        supplier=supplier,
        items=[{"target_type": "document", "target": "tax_clearance", "reason": "Expired copy"}],
    )
    return supplier, reviewer, "Tax clearance certificate: Expired copy"


def _verify(supplier, admin, reviewer):
    return services.supplier_verify(actor=reviewer, supplier=supplier), reviewer, ""


def _suspend(supplier, admin, reviewer):
    reason = "Under investigation"
    return (
        services.supplier_suspend(actor=reviewer, supplier=supplier, reason=reason),
        reviewer,
        reason,
    )


def _reinstate(supplier, admin, reviewer):
    reason = "Investigation closed"
    return (
        services.supplier_reinstate(actor=reviewer, supplier=supplier, reason=reason),
        reviewer,
        reason,
    )


def _debar(supplier, admin, reviewer):
    actor = oversight_admin()
    reason = "Bid rigging"
    services.supplier_debar(
        actor=actor, supplier=supplier, reason=reason, until=datetime.date(2099, 12, 31)
    )
    return supplier, actor, reason


def _end_debarment(supplier, admin, reviewer):
    actor = oversight_admin()
    reason = "Appeal upheld"
    services.supplier_end_debarment(actor=actor, supplier=supplier, reason=reason)
    return supplier, actor, reason


TRANSITIONS = {
    # name: (service, action, {legal source: target})
    "submit": (
        _submit,
        "supplier.submitted",
        {"draft": "submitted", "changes_requested": "submitted"},
    ),
    "request_changes": (
        _request_changes,
        "supplier.changes_requested",
        {"submitted": "changes_requested"},
    ),
    "verify": (_verify, "supplier.verified", {"submitted": "verified"}),
    "suspend": (_suspend, "supplier.suspended", {"verified": "suspended"}),
    "reinstate": (_reinstate, "supplier.reinstated", {"suspended": "verified"}),
    "debar": (_debar, "supplier.debarred", {"verified": "debarred", "suspended": "debarred"}),
    "end_debarment": (_end_debarment, "supplier.debarment_ended", {"debarred": "verified"}),
}

LEGAL = [
    (name, source, target)
    for name, (_f, _a, graph) in TRANSITIONS.items()
    for source, target in graph.items()
]
ILLEGAL = [
    (name, source)
    for name, (_f, _a, graph) in TRANSITIONS.items()
    for source in STATES
    if source not in graph
]


@pytest.mark.parametrize(("name", "source", "target"), LEGAL)
def test_legal_transition_changes_state_and_writes_its_event(name, source, target):
    # given
    supplier, admin, reviewer = supplier_in_state(source)
    service, action, _graph = TRANSITIONS[name]
    last_seq = Event.objects.order_by("-seq").values_list("seq", flat=True).first()
    outbox_before = OutboxMessage.objects.count()

    # when
    _result, actor, reason = service(supplier, admin, reviewer)

    # then
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.state == target
    event = Event.objects.get(seq__gt=last_seq, action=action)
    assert event.actor_user == actor
    assert event.object_type == "suppliers.supplier"
    assert event.object_id == str(supplier.pk)
    assert event.payload["from"] == source
    assert event.payload["to"] == target
    assert event.reason == reason
    # the capacity in which the actor acted
    membership = actor.memberships.get()
    assert (event.organisation_id, event.role) == (membership.organisation_id, membership.role)
    # one notification message per transition (to the supplier or to the officers)
    assert OutboxMessage.objects.count() == outbox_before + 1


@pytest.mark.parametrize(("name", "source"), ILLEGAL)
def test_illegal_transition_is_refused_and_changes_nothing(name, source):
    # given
    supplier, admin, reviewer = supplier_in_state(source)
    service, _action, _graph = TRANSITIONS[name]
    before = Supplier.objects.values().get(pk=supplier.pk)

    # when / then
    events_before = Event.objects.count()
    outbox_before = OutboxMessage.objects.count()
    with pytest.raises(SupplierInvalidTransition) as raised:
        service(supplier, admin, reviewer)
    assert raised.value.code == "supplier.invalid_transition"
    assert raised.value.status == 409
    assert Supplier.objects.values().get(pk=supplier.pk) == before
    assert Event.objects.count() == events_before
    assert OutboxMessage.objects.count() == outbox_before


def test_debarment_records_its_period_and_reason():
    # given
    supplier, _admin, _reviewer = supplier_in_state("verified")
    actor = oversight_admin()

    # when
    services.supplier_debar(
        actor=actor, supplier=supplier, reason="Fraud", until=datetime.date(2030, 6, 30)
    )

    # then
    supplier.refresh_from_db()
    assert supplier.debarment_reason == "Fraud"
    assert supplier.debarred_until == datetime.date(2030, 6, 30)
    event = Event.objects.filter(action="supplier.debarred").get()
    assert event.payload["debarred_until"] == "2030-06-30"
