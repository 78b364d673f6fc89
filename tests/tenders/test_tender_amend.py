"""Amendments: numbered, dated, with a diff, public, and told to every follower."""

from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from core.money import Money
from tenders import services
from tenders.exceptions import (
    MaterialAmendmentTooLate,
    NotAmendable,
    TenderInvalidTransition,
    TenderNotAllowed,
)
from tenders.models import Amendment, Tender

from .factories import (
    DAY,
    HOUR,
    NOW,
    OPENING_AT,
    SUBMISSION_DEADLINE,
    outsider,
    plain_user,
    tender_in_state,
)

pytestmark = pytest.mark.django_db


def test_an_amendment_is_numbered_dated_and_keeps_the_diff_of_what_changed():
    # given a published tender with a follower
    tender, team = tender_in_state("published", reference="RA-50")
    follower = plain_user()
    services.tender_follow(actor=follower, tender=tender)

    # when the officer extends the deadline ten days after publication
    with frozen_at(NOW + 10 * DAY):
        amendment = services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="Deadline extended by a week; fee lowered.",
            changes={
                "submission_deadline": SUBMISSION_DEADLINE + 7 * DAY,
                "opening_at": OPENING_AT + 7 * DAY,
                "document_fee": Money(Decimal("2500000"), "IRR"),
                "title": "Resurfacing of the Karaj-Chalus road",  # unchanged: not in the diff
            },
            notice="Bidders have one more week.",
        )

    # then
    amendment = Amendment.objects.get(pk=amendment.pk)
    assert (amendment.number, amendment.created_at, amendment.created_by) == (
        1,
        NOW + 10 * DAY,
        team.officer,
    )
    assert amendment.material is False
    assert amendment.notice == "Bidders have one more week."
    assert amendment.changes == {
        "submission_deadline": {
            "from": "2029-07-06T09:00:00+00:00",
            "to": "2029-07-13T09:00:00+00:00",
        },
        "opening_at": {"from": "2029-07-06T10:00:00+00:00", "to": "2029-07-13T10:00:00+00:00"},
        "document_fee": {
            "from": {"amount": "5000000.00", "currency": "IRR"},
            "to": {"amount": "2500000.00", "currency": "IRR"},
        },
    }
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.submission_deadline == SUBMISSION_DEADLINE + 7 * DAY
    assert tender.document_fee == Money("2500000.00", "IRR")
    event = Event.objects.get(action="tender.amended")
    assert event.reason == "Deadline extended by a week; fee lowered."
    assert event.payload == {
        "amendment_id": amendment.pk,
        "number": 1,
        "material": False,
        "changes": amendment.changes,
    }
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert message.payload["kind"] == "tender.amended"
    assert message.payload["recipients"] == [follower.pk]
    assert message.payload["params"] == {
        "reference": "RA-50",
        "title": "Resurfacing of the Karaj-Chalus road",
        "number": 1,
        "summary": "Deadline extended by a week; fee lowered.",
    }


def test_amendments_are_numbered_one_after_another_per_tender():
    # given
    tender, team = tender_in_state("published")
    other, _team = tender_in_state("published", team=team)

    # when
    numbers = [
        services.tender_amend(
            actor=team.officer, tender=t, summary=f"Change {n}", changes={"title": f"Title {n}"}
        ).number
        for n, t in enumerate([tender, tender, other, tender], start=1)
    ]

    # then
    assert numbers == [1, 2, 1, 3]
    assert Amendment.objects.get(tender=tender, number=3).changes == {
        "title": {"from": "Title 2", "to": "Title 4"}
    }


def test_a_material_amendment_too_close_to_the_deadline_is_refused(nothing_written):
    # given a deadline five days away
    tender, team = tender_in_state("published")

    # when / then
    with (
        frozen_at(NOW + 30 * DAY),
        nothing_written(),
        pytest.raises(MaterialAmendmentTooLate) as raised,
    ):
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="A new required document",
            material=True,
            changes={"required_documents": ["tax_clearance", "licence"]},
        )
    assert (raised.value.code, raised.value.field) == (
        "tender.material_amendment_too_late",
        "submission_deadline",
    )
    assert str(raised.value) == (
        "A material amendment must leave at least 7 days before the submission deadline: "
        "extend the deadline in this amendment to 8 July 2029, 12:30 (Tehran time) or later."
    )


def test_a_material_amendment_that_extends_the_deadline_enough_is_accepted():
    # given a deadline five days away
    tender, team = tender_in_state("published")

    # when the same amendment moves the deadline to exactly seven days from now
    with frozen_at(NOW + 30 * DAY):
        amendment = services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="A new required document",
            material=True,
            changes={
                "required_documents": ["tax_clearance", "licence"],
                "submission_deadline": NOW + 37 * DAY,
                "opening_at": NOW + 37 * DAY,
            },
        )

    # then
    assert amendment.material is True
    assert amendment.changes["required_documents"] == {
        "from": ["tax_clearance"],
        "to": ["tax_clearance", "licence"],
    }
    assert Tender.objects.get(pk=tender.pk).submission_deadline == NOW + 37 * DAY


def test_the_material_minimum_comes_from_the_settings(settings, nothing_written):
    # given
    settings.TENDER_MATERIAL_AMENDMENT_MIN_DAYS = 10
    tender, team = tender_in_state("published")

    # when / then: 9 days left are not enough
    with frozen_at(NOW + 26 * DAY), nothing_written(), pytest.raises(MaterialAmendmentTooLate):
        services.tender_amend(
            actor=team.officer, tender=tender, summary="Scope", material=True, changes={}
        )


def test_a_minor_amendment_close_to_the_deadline_is_accepted():
    # given a deadline one day away
    tender, team = tender_in_state("published")

    # when
    with frozen_at(NOW + 34 * DAY):
        amendment = services.tender_amend(
            actor=team.officer, tender=tender, summary="Typo", changes={"title": "Resurfacing"}
        )

    # then
    assert amendment.number == 1


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"procurement_method": "rfq"}, "tender.not_amendable", "procurement_method"),
        ({"evaluation_method": "qcbs"}, "tender.not_amendable", "evaluation_method"),
        ({"approver": None}, "tender.not_amendable", "approver"),
        # shortened below the 30 days after publication that an open tender needs
        (
            {"submission_deadline": SUBMISSION_DEADLINE - 6 * DAY},
            "tender.period_too_short",
            "submission_deadline",
        ),
        (
            {"opening_at": SUBMISSION_DEADLINE - HOUR},
            "tender.invalid_date",
            "opening_at",
        ),
        ({"estimated_value": Money("-5", "IRR")}, "money.invalid_amount", "estimated_value"),
        (
            {"estimated_value": Money("125000000000.005", "IRR")},
            "money.too_many_decimals",
            "estimated_value",
        ),
        # the lots, fixed at publication, are in the estimate's currency: it stays
        (
            {"estimated_value": Money("2000000", "EUR")},
            "tender.currency_not_amendable",
            "estimated_value",
        ),
        ({"document_fee": Money("50", "USD")}, "tender.currency_not_amendable", "document_fee"),
    ],
)
def test_invalid_amendments_are_refused(changes, code, field, nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_amend(actor=team.officer, tender=tender, summary="S", changes=changes)
    assert (raised.value.code, raised.value.field) == (code, field)


def test_a_date_already_past_cannot_be_set(nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then: a new clarification deadline in the past
    with frozen_at(NOW + 21 * DAY), nothing_written(), pytest.raises(Exception) as raised:
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="S",
            changes={"clarification_deadline": NOW + 20 * DAY + HOUR},
        )
    assert (raised.value.code, raised.value.field) == (
        "tender.invalid_date",
        "clarification_deadline",
    )


def test_a_summary_is_required(nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_amend(actor=team.officer, tender=tender, summary=" ", changes={})
    assert (raised.value.code, raised.value.field) == ("tender.invalid_field", "summary")


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "closed", "cancelled"])
def test_only_a_published_tender_is_amended(state, nothing_written):
    # given
    tender, team = tender_in_state(state)

    # when / then
    with nothing_written(), pytest.raises(TenderInvalidTransition):
        services.tender_amend(actor=team.officer, tender=tender, summary="S", changes={})


@pytest.mark.parametrize("who", ["approver", "other_buyers_officer", "supplier"])
def test_only_the_buyers_officers_amend(who, nothing_written):
    # given
    tender, team = tender_in_state("published")
    actor = {
        "approver": team.approver,
        "other_buyers_officer": outsider(Role.PROCUREMENT_OFFICER),
        "supplier": outsider(Role.SUPPLIER_ADMIN),
    }[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_amend(actor=actor, tender=tender, summary="S", changes={"title": "X"})


def test_an_unknown_field_is_named_in_the_refusal(nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(NotAmendable) as raised:
        services.tender_amend(actor=team.officer, tender=tender, summary="S", changes={"ocid": "x"})
    assert raised.value.params == {"field": "ocid"}
