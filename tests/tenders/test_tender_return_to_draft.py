"""The approver returns a tender to its officer, with reasons."""

import pytest

from audit.models import Event
from core.models import OutboxMessage
from core.money import Money
from tenders import services
from tenders.exceptions import ReasonRequired, TenderNotAllowed
from tenders.models import Tender

from .factories import tender_in_state

pytestmark = pytest.mark.django_db


def test_the_reasons_are_kept_and_the_officer_is_told():
    # given
    tender, team = tender_in_state("awaiting_approval")

    # when
    services.tender_return_to_draft(
        actor=team.approver, tender=tender, reasons="  Lot 1 needs a bill of quantities.  "
    )

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.state, tender.return_reasons) == (
        "draft",
        "Lot 1 needs a bill of quantities.",
    )
    event = Event.objects.get(action="tender.returned_to_draft")
    assert (event.actor_user, event.reason) == (team.approver, "Lot 1 needs a bill of quantities.")
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert (message.payload["kind"], message.payload["recipients"]) == (
        "tender.returned_to_draft",
        [team.officer.pk],
    )


def test_the_returned_draft_can_be_fixed_and_submitted_again():
    # given
    tender, team = tender_in_state("awaiting_approval")
    services.tender_return_to_draft(actor=team.approver, tender=tender, reasons="Fee too high")

    # when
    services.tender_update(actor=team.officer, tender=tender, document_fee=Money("1000000", "IRR"))
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then the reasons are cleared once it is published
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.state, tender.return_reasons) == ("published", "")


def test_reasons_are_required(nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")

    # when / then
    with nothing_written(), pytest.raises(ReasonRequired) as raised:
        services.tender_return_to_draft(actor=team.approver, tender=tender, reasons=" ")
    assert (raised.value.code, raised.value.field) == ("tender.reason_required", "reasons")


def test_the_officer_cannot_return_it(nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_return_to_draft(actor=team.officer, tender=tender, reasons="No")
