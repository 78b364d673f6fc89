"""The officer submits a complete draft to its approver; what is missing is listed."""

import pytest

from accounts.models import Membership, Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from core.money import Money
from tenders import services
from tenders.exceptions import TenderIncomplete, TenderNotAllowed
from tenders.models import Tender
from tests.factories import make_member

from .factories import DAY, NOW, buyer_team, outsider, tender_in_state

pytestmark = pytest.mark.django_db


def test_the_approver_is_asked_to_approve():
    # given
    tender, team = tender_in_state("draft", reference="RA-30")

    # when
    services.tender_submit_for_approval(actor=team.officer, tender=tender)

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.state, tender.submitted_by, tender.submitted_at) == (
        "awaiting_approval",
        team.officer,
        NOW,
    )
    event = Event.objects.get(action="tender.submitted_for_approval")
    assert event.payload == {
        "from": "draft",
        "to": "awaiting_approval",
        "approver_id": team.approver.pk,
    }
    message = OutboxMessage.objects.get(topic="core.notify")
    assert message.payload["recipients"] == [team.approver.pk]
    assert message.payload["kind"] == "tender.submitted_for_approval"
    assert message.payload["params"]["reference"] == "RA-30"


def test_an_incomplete_draft_lists_every_problem_with_its_field(nothing_written):
    # given a bare draft: no description, dates, committees, approver or lots
    team = buyer_team()
    tender = services.tender_create(
        actor=team.officer,
        buyer=team.buyer,
        reference="RA-bare",
        title="Office chairs",
        procurement_method="rfq",
        main_category="goods",
        cpv_code="39112000-0",
        estimated_value=Money("950000000", "IRR"),
    )

    # when / then
    with nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert (raised.value.code, raised.value.status) == ("tender.incomplete", 422)
    assert [(p["field"], p["code"]) for p in raised.value.params["problems"]] == [
        ("description", "tender.invalid_field"),
        ("clarification_deadline", "tender.invalid_date"),
        ("submission_deadline", "tender.invalid_date"),
        ("opening_at", "tender.invalid_date"),
        ("opening_committee", "tender.invalid_committee"),
        ("opening_threshold", "tender.invalid_committee"),
        ("evaluation_committee", "tender.invalid_committee"),
        ("approver", "tender.invalid_approver"),
        ("lots", "tender.no_lots"),
    ]
    assert raised.value.params["problems"][-1]["message"] == "A tender needs at least one lot."


def test_a_tender_needs_at_least_one_lot(nothing_written):
    # given
    tender, team = tender_in_state("draft", lots=0)

    # when / then
    with nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert raised.value.params["problems"] == [
        {"field": "lots", "code": "tender.no_lots", "message": "A tender needs at least one lot."}
    ]


def test_an_opening_committee_needs_two_members(nothing_written):
    # given a committee of one, threshold unset
    tender, team = tender_in_state("draft", opening_threshold=None)
    services.tender_update(actor=team.officer, tender=tender, opening_committee=team.opening[:1])

    # when / then
    with nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert [p["message"] for p in raised.value.params["problems"]] == [
        "The opening committee needs at least two members.",
        "Set how many opening committee members must act together (at least 2).",
    ]


def test_dates_that_came_too_close_are_caught_at_submission(nothing_written):
    # given a draft whose deadline is now less than 30 days away
    tender, team = tender_in_state("draft")

    # when / then
    with frozen_at(NOW + 6 * DAY), nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert raised.value.params["problems"] == [
        {
            "field": "submission_deadline",
            "code": "tender.period_too_short",
            "message": "A tender by the “Open” method needs at least 30 days between "
            "publication and the submission deadline: the deadline must be on or after "
            "2029-07-07 12:30 (Tehran time).",
        }
    ]


def test_a_committee_member_who_left_the_buyer_is_caught(nothing_written):
    # given
    tender, team = tender_in_state("draft")
    Membership.objects.filter(user=team.evaluation[0]).update(is_active=False)

    # when / then
    with nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.officer, tender=tender)
    assert [p["field"] for p in raised.value.params["problems"]] == ["evaluation_committee"]


def test_an_officer_cannot_submit_a_tender_they_would_approve(nothing_written):
    # given a second officer who is also the tender's approver
    tender, team = tender_in_state("draft")
    make_member(Role.PROCUREMENT_OFFICER, organisation=team.buyer, user=team.approver)

    # when / then
    with nothing_written(), pytest.raises(TenderIncomplete) as raised:
        services.tender_submit_for_approval(actor=team.approver, tender=tender)
    assert raised.value.params["problems"] == [
        {
            "field": "approver",
            "code": "tender.invalid_approver",
            "message": "The officer who prepares a tender cannot be its approver.",
        }
    ]


@pytest.mark.parametrize("who", ["approver", "other_buyers_officer", "committee_member"])
def test_only_the_buyers_officers_submit(who, nothing_written):
    # given
    tender, team = tender_in_state("draft")
    actor = {
        "approver": team.approver,
        "other_buyers_officer": outsider(Role.PROCUREMENT_OFFICER),
        "committee_member": team.opening[0],
    }[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_submit_for_approval(actor=actor, tender=tender)
