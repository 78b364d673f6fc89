"""A tender is cancelled before award, with a public reason; followers are told."""

import pytest

from accounts.models import Role
from audit.models import Event
from core.models import OutboxMessage
from tenders import services
from tenders.exceptions import ReasonRequired, TenderNotAllowed
from tenders.models import Tender

from .factories import NOW, outsider, plain_user, tender_in_state

pytestmark = pytest.mark.django_db


def test_a_published_tender_is_cancelled_with_its_reason_and_followers_told():
    # given
    tender, team = tender_in_state("published")
    reader = plain_user()
    services.tender_follow(actor=reader, tender=tender)

    # when the approver cancels it
    services.tender_cancel(actor=team.approver, tender=tender, reason="The road was rerouted.")

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.state, tender.cancellation_reason, tender.cancelled_at) == (
        "cancelled",
        "The road was rerouted.",
        NOW,
    )
    event = Event.objects.get(action="tender.cancelled")
    assert (event.actor_user, event.reason) == (team.approver, "The road was rerouted.")
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert message.payload["kind"] == "tender.cancelled"
    assert message.payload["recipients"] == [team.officer.pk, reader.pk]


def test_a_reason_is_required(nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(ReasonRequired) as raised:
        services.tender_cancel(actor=team.officer, tender=tender, reason="")
    assert raised.value.field == "reason"


@pytest.mark.parametrize("who", ["other_buyers_officer", "committee_member", "supplier", "admin"])
def test_only_the_buyers_officers_and_approvers_cancel(who, nothing_written):
    # given
    tender, team = tender_in_state("published")
    actor = {
        "other_buyers_officer": outsider(Role.PROCUREMENT_OFFICER),
        "committee_member": team.opening[0],
        "supplier": outsider(Role.SUPPLIER_ADMIN),
        "admin": outsider(Role.PLATFORM_ADMIN),
    }[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_cancel(actor=actor, tender=tender, reason="Because")


def test_declaring_unsuccessful_needs_a_reason(nothing_written):
    # given
    tender, _team = tender_in_state("closed")

    # when / then
    with nothing_written(), pytest.raises(ReasonRequired):
        services.tender_declare_unsuccessful(actor=None, tender=tender, reason=" ")
