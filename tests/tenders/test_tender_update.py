"""An officer changes a draft: only drafts, only the buyer's officers, and a diff on the record."""

from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.money import Money
from tenders import services
from tenders.exceptions import TenderNotAllowed, TenderNotEditable
from tenders.models import CommitteeMembership, Tender
from tests.factories import make_member

from .factories import DAY, HOUR, NOW, OPENING_AT, SUBMISSION_DEADLINE, outsider, tender_in_state

pytestmark = pytest.mark.django_db


def test_the_changed_fields_are_saved_and_audited_as_a_diff():
    # given
    tender, team = tender_in_state("draft", reference="RA-10")
    second_officer = make_member(Role.PROCUREMENT_OFFICER, organisation=team.buyer)

    # when another officer of the buyer changes it
    services.tender_update(
        actor=second_officer,
        tender=tender,
        reference="RA-11",
        estimated_value=Money(Decimal("130000000000"), "IRR"),
        submission_deadline=SUBMISSION_DEADLINE + DAY,
        opening_at=OPENING_AT + DAY,
        title="Resurfacing of the Karaj-Chalus road",  # unchanged
        opening_committee=team.opening[:2],
    )

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.reference, tender.ocid) == ("RA-11", "ocds-pnj000-RA-11")
    assert tender.estimated_value == Money("130000000000.00", "IRR")
    assert tender.submission_deadline == SUBMISSION_DEADLINE + DAY
    assert list(
        CommitteeMembership.objects.filter(tender=tender, kind="opening")
        .order_by("pk")
        .values_list("user_id", flat=True)
    ) == [team.opening[0].pk, team.opening[1].pk]
    event = Event.objects.get(action="tender.updated")
    assert event.actor_user == second_officer
    assert event.payload == {
        "changed": {
            "estimated_value": {
                "from": {"amount": "125000000000.00", "currency": "IRR"},
                "to": {"amount": "130000000000.00", "currency": "IRR"},
            },
            "opening_committee": {
                "from": [user.pk for user in team.opening],
                "to": [team.opening[0].pk, team.opening[1].pk],
            },
            "opening_at": {
                "from": "2029-07-06T10:00:00+00:00",
                "to": "2029-07-07T10:00:00+00:00",
            },
            "reference": {"from": "RA-10", "to": "RA-11"},
            "submission_deadline": {
                "from": "2029-07-06T09:00:00+00:00",
                "to": "2029-07-07T09:00:00+00:00",
            },
        }
    }


def test_an_update_that_changes_nothing_writes_nothing(nothing_written):
    # given
    tender, _team = tender_in_state("draft")

    # when / then
    with nothing_written():
        services.tender_update(
            actor=_team.officer,
            tender=tender,
            estimated_value=Money("125000000000", "IRR"),
            opening_committee=_team.opening,
        )


def test_an_unchanged_past_date_is_not_refused_but_a_changed_one_is(nothing_written):
    # given a draft whose clarification deadline has passed meanwhile
    tender, team = tender_in_state("draft")

    with frozen_at(NOW + 21 * DAY):
        # when the title changes, the old date is not in the way
        services.tender_update(actor=team.officer, tender=tender, title="New title")

        # then setting a date in the past is refused
        with nothing_written(), pytest.raises(Exception) as raised:
            services.tender_update(
                actor=team.officer, tender=tender, clarification_deadline=NOW + 20 * DAY + HOUR
            )
    assert (raised.value.code, raised.value.field) == (
        "tender.invalid_date",
        "clarification_deadline",
    )


def test_switching_to_two_envelopes_is_checked_with_the_method(nothing_written):
    # given a quality- and cost-based draft
    tender, team = tender_in_state(
        "draft",
        evaluation_method="qcbs",
        envelope_scheme="two",
        evaluation_config={
            "criteria": [{"name": "Method", "weight": 100}],
            "technical_threshold": 75,
        },
    )

    # when / then: one envelope is refused, with the envelope field
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_update(actor=team.officer, tender=tender, envelope_scheme="single")
    assert (raised.value.code, raised.value.field) == (
        "tender.invalid_evaluation_config",
        "envelope_scheme",
    )


def test_a_new_approver_is_checked(nothing_written):
    # given
    tender, team = tender_in_state("draft")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_update(actor=team.officer, tender=tender, approver=team.officer)
    assert (raised.value.code, raised.value.field) == ("tender.invalid_approver", "approver")


def test_shrinking_the_opening_committee_below_its_threshold_is_refused(nothing_written):
    # given a 3-member committee with threshold 2
    tender, team = tender_in_state("draft", opening_threshold=3)

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_update(
            actor=team.officer, tender=tender, opening_committee=team.opening[:2]
        )
    assert (raised.value.code, raised.value.field) == (
        "tender.invalid_committee",
        "opening_threshold",
    )


def test_a_reference_already_taken_is_refused(nothing_written):
    # given
    _first, team = tender_in_state("draft", reference="RA-20")
    second, _team = tender_in_state("draft", team=team, reference="RA-21")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        services.tender_update(actor=team.officer, tender=second, reference="RA-20")
    assert raised.value.code == "tender.reference_taken"


@pytest.mark.parametrize("state", ["awaiting_approval", "published", "closed", "cancelled"])
def test_only_a_draft_can_be_changed(state, nothing_written):
    # given
    tender, team = tender_in_state(state)

    # when / then
    with nothing_written(), pytest.raises(TenderNotEditable) as raised:
        services.tender_update(actor=team.officer, tender=tender, title="Changed")
    assert (raised.value.code, raised.value.status) == ("tender.not_editable", 409)


@pytest.mark.parametrize("who", ["approver", "other_buyers_officer", "supplier"])
def test_only_the_buyers_officers_change_a_draft(who, nothing_written):
    # given
    tender, team = tender_in_state("draft")
    actor = {
        "approver": team.approver,
        "other_buyers_officer": outsider(Role.PROCUREMENT_OFFICER),
        "supplier": outsider(Role.SUPPLIER_ADMIN),
    }[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_update(actor=actor, tender=tender, title="Changed")


def test_a_draft_may_change_the_currency_of_its_estimate():
    # given a draft in rials
    tender, team = tender_in_state("draft")

    # when its officer restates the estimate in euros
    services.tender_update(
        actor=team.officer, tender=tender, estimated_value=Money("2500000", "EUR")
    )

    # then both columns changed, and the diff says so
    tender = Tender.objects.get(pk=tender.pk)
    assert (tender.estimated_value_amount, tender.estimated_value_currency) == (
        Decimal("2500000.0000"),
        "EUR",
    )
    assert Event.objects.get(action="tender.updated").payload == {
        "changed": {
            "estimated_value": {
                "from": {"amount": "125000000000.00", "currency": "IRR"},
                "to": {"amount": "2500000.00", "currency": "EUR"},
            }
        }
    }


def test_each_committee_member_added_or_removed_is_its_own_event():
    # given a draft whose opening committee is openers 1, 2 and 3
    tender, team = tender_in_state("draft")
    replacement = make_member(Role.COMMITTEE_MEMBER, organisation=team.buyer, name="Opener 4")
    last = Event.objects.latest("seq").seq

    # when the officer replaces opener 2 by opener 4
    services.tender_update(
        actor=team.officer,
        tender=tender,
        opening_committee=[team.opening[0], team.opening[2], replacement],
    )

    # then the update's diff, then one event per person removed or added, by the officer
    events = list(
        Event.objects.filter(seq__gt=last)
        .order_by("seq")
        .values_list("action", "actor__user", "payload")
    )
    assert events == [
        (
            "tender.updated",
            team.officer.pk,
            {
                "changed": {
                    "opening_committee": {
                        "from": [member.pk for member in team.opening],
                        "to": [team.opening[0].pk, team.opening[2].pk, replacement.pk],
                    }
                }
            },
        ),
        (
            "tender.committee_member_removed",
            team.officer.pk,
            {"committee": "opening", "member_id": team.opening[1].pk},
        ),
        (
            "tender.committee_member_added",
            team.officer.pk,
            {"committee": "opening", "member_id": replacement.pk},
        ),
    ]
    assert list(
        CommitteeMembership.objects.filter(tender=tender, kind="opening")
        .order_by("pk")
        .values_list("user", flat=True)
    ) == [team.opening[0].pk, team.opening[2].pk, replacement.pk]
