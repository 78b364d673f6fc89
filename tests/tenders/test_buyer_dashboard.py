"""The dashboard tells officers and approvers what waits for them."""

import pytest

from home.dashboard import action_items
from tenders import services
from tests.suppliers.factories import supplier_in_state

from .factories import tender_in_state

pytestmark = pytest.mark.django_db


def _tender_items(user):
    return [item for item in action_items(user) if "/buyer/tenders/" in item.url]


def test_the_approver_sees_what_awaits_approval_and_the_officer_nothing_for_it():
    # given
    tender, team = tender_in_state("awaiting_approval", reference="RA-9")

    # when
    approver_items = _tender_items(team.approver)
    officer_items = _tender_items(team.officer)

    # then
    assert [(item.title, item.level, item.url) for item in approver_items] == [
        (
            "Approve or return: RA-9 · Resurfacing of the Karaj-Chalus road",
            "danger",
            f"/buyer/tenders/{tender.pk}/",
        )
    ]
    assert officer_items == []


def test_the_officer_sees_a_returned_draft_with_its_reasons_and_a_plain_draft():
    # given
    returned, team = tender_in_state("awaiting_approval", reference="RA-1")
    services.tender_return_to_draft(actor=team.approver, tender=returned, reasons="Fix lot 1")
    tender_in_state("draft", team, reference="RA-2")

    # when
    items = _tender_items(team.officer)

    # then
    assert sorted((item.title, item.detail, item.level) for item in items) == [
        ("Draft to complete: RA-2 · Resurfacing of the Karaj-Chalus road", "", "warning"),
        (
            "Returned by the approver: RA-1 · Resurfacing of the Karaj-Chalus road",
            "Fix lot 1",
            "danger",
        ),
    ]


def test_the_officer_sees_unanswered_questions():
    # given
    tender, team = tender_in_state("published", reference="RA-3")
    supplier, admin, _reviewer = supplier_in_state("verified")
    for question in ("One?", "Two?"):
        services.clarification_ask(actor=admin, tender=tender, supplier=supplier, question=question)

    # when
    items = _tender_items(team.officer)

    # then
    assert [(item.title, item.count, item.url) for item in items] == [
        (
            "2 questions await your answer: RA-3 · Resurfacing of the Karaj-Chalus road",
            2,
            f"/buyer/tenders/{tender.pk}/#clarifications",
        )
    ]
