"""An officer drafts a tender: what is stored, what is refused and why, and who may."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.models import OrganisationKind, Role
from audit.models import Event
from core.models import OutboxMessage
from core.money import Money, money_json
from tenders import services
from tenders.exceptions import TenderNotAllowed
from tenders.models import CommitteeMembership, Tender
from tests.factories import OrganisationFactory, make_member

from .factories import (
    CLARIFICATION_DEADLINE,
    DAY,
    HOUR,
    NOW,
    OPENING_AT,
    SUBMISSION_DEADLINE,
    buyer_team,
    complete_fields,
    outsider,
)

pytestmark = pytest.mark.django_db


def _create(team, **overrides):
    return services.tender_create(
        actor=team.officer, buyer=team.buyer, **complete_fields(team, **overrides)
    )


def test_a_draft_stores_every_field_and_its_ocid():
    # given
    team = buyer_team()

    # when
    tender = _create(
        team,
        reference="RA-2029-17",
        evaluation_method="weighted_scoring",
        evaluation_config={
            "criteria": [{"name": "Price", "weight": 60}, {"name": "Experience", "weight": "40"}]
        },
        additional_cpv_codes=["45000000-7", "45000000-7", "45233120-6"],
        estimated_value=Money("125000000000", "irr"),
        document_fee=Money("50.5", "EUR"),
    )

    # then
    tender = Tender.objects.get(pk=tender.pk)
    assert tender.state == "draft"
    assert tender.reference == "RA-2029-17"
    assert tender.ocid == "ocds-pnj000-RA-2029-17"
    assert tender.buyer == team.buyer
    assert tender.created_by == team.officer
    assert tender.approver == team.approver
    assert tender.estimated_value == Money("125000000000.00", "IRR")
    assert (tender.estimated_value_amount, tender.estimated_value_currency) == (
        Decimal("125000000000.0000"),
        "IRR",
    )
    assert money_json(tender.estimated_value) == {"amount": "125000000000.00", "currency": "IRR"}
    assert money_json(tender.document_fee) == {"amount": "50.50", "currency": "EUR"}
    assert tender.additional_cpv_codes == ["45000000-7", "45233120-6"]
    assert tender.cpv_codes == ["45233120-6", "45000000-7"]
    assert tender.cpv_index == " 45233120-6 45000000-7"
    assert tender.evaluation_config == {
        "criteria": [{"name": "Price", "weight": "60"}, {"name": "Experience", "weight": "40"}]
    }
    assert tender.required_documents == ["tax_clearance"]
    assert tender.required_declarations == ["No conflict of interest"]
    assert tender.clarification_deadline == CLARIFICATION_DEADLINE
    assert tender.submission_deadline == SUBMISSION_DEADLINE
    assert tender.opening_at == OPENING_AT
    assert tender.opening_threshold == 2
    assert tender.published_at is None
    members = CommitteeMembership.objects.filter(tender=tender).order_by("pk")
    assert [(m.kind, m.user) for m in members] == [
        *(("opening", user) for user in team.opening),
        *(("evaluation", user) for user in team.evaluation),
    ]


def test_creating_is_audited_and_notifies_nobody():
    # given
    team = buyer_team()
    outbox_before = OutboxMessage.objects.count()

    # when
    tender = _create(team, reference="RA-1")

    # then
    event = Event.objects.get(action="tender.created")
    assert event.actor_user == team.officer
    assert event.organisation == team.buyer
    assert event.role == Role.PROCUREMENT_OFFICER
    assert event.object_id == str(tender.pk)
    assert event.payload["ocid"] == "ocds-pnj000-RA-1"
    assert event.payload["fields"]["submission_deadline"] == "2029-07-06T09:00:00+00:00"
    assert event.payload["fields"]["estimated_value"] == {
        "amount": "125000000000.00",
        "currency": "IRR",
    }
    assert event.payload["fields"]["document_fee"] == {"amount": "5000000.00", "currency": "IRR"}
    assert event.payload["fields"]["approver"] == team.approver.pk
    assert event.payload["fields"]["opening_committee"] == [u.pk for u in team.opening]
    assert OutboxMessage.objects.count() == outbox_before


def test_the_ocid_prefix_comes_from_the_settings(settings):
    # given
    settings.TENDER_OCID_PREFIX = "ocds-abc123"
    team = buyer_team()

    # when
    tender = _create(team, reference="X-9")

    # then
    assert tender.ocid == "ocds-abc123-X-9"


def test_a_draft_may_start_incomplete():
    # given
    team = buyer_team()

    # when
    tender = services.tender_create(
        actor=team.officer,
        buyer=team.buyer,
        reference="RA-min",
        title="Office chairs",
        procurement_method="rfq",
        main_category="goods",
        cpv_code="39112000-0",
        estimated_value=Money("950000000", "EUR"),
    )

    # then: without a document fee, there is none, in the estimate's currency
    tender.refresh_from_db()
    assert (tender.state, str(tender.estimated_value), str(tender.document_fee)) == (
        "draft",
        "950000000.00 EUR",
        "0.00 EUR",
    )
    assert tender.submission_deadline is None
    assert tender.approver is None
    assert tender.committee.count() == 0


# (overrides, error code, field, message)
REFUSALS = [
    ({"reference": "T 1/2"}, "tender.invalid_field", "reference", None),
    ({"title": "  "}, "tender.invalid_field", "title", "This field is required."),
    ({"procurement_method": "negotiated"}, "tender.invalid_field", "procurement_method", None),
    ({"main_category": "land"}, "tender.invalid_field", "main_category", None),
    (
        {"cpv_code": "45233120-5"},
        "tender.unknown_cpv_code",
        "cpv_code",
        "“45233120-5” is not a CPV 2008 code.",
    ),
    (
        {"additional_cpv_codes": ["99999999-9"]},
        "tender.unknown_cpv_code",
        "additional_cpv_codes",
        None,
    ),
    (
        {"estimated_value": Money("1000", "GBP")},
        "money.currency_not_accepted",
        "estimated_value",
        "The platform accepts amounts in IRR, EUR, USD, not in GBP.",
    ),
    (
        {"document_fee": Money("5", "JPY")},
        "money.currency_not_accepted",
        "document_fee",
        None,
    ),
    (
        {"estimated_value": Money(Decimal("-1"), "IRR")},
        "money.invalid_amount",
        "estimated_value",
        "The amount cannot be negative.",
    ),
    (
        {"estimated_value": Money("10.005", "EUR")},
        "money.too_many_decimals",
        "estimated_value",
        "EUR has 2 decimal places: at most 2 digits after the point.",
    ),
    (
        {"estimated_value": Money("10.001", "IRR")},
        "money.too_many_decimals",
        "estimated_value",
        "IRR has 2 decimal places: at most 2 digits after the point.",
    ),
    (
        {"estimated_value": Money("NaN", "IRR")},
        "money.invalid_amount",
        "estimated_value",
        "Enter a number.",
    ),
    (
        {"estimated_value": Money("10000000000000000", "IRR")},
        "money.invalid_amount",
        "estimated_value",
        "The amount is too large.",
    ),
    ({"document_fee": Money("-0.01", "IRR")}, "money.invalid_amount", "document_fee", None),
    ({"required_documents": ["passport"]}, "tender.invalid_field", "required_documents", None),
    (
        {"required_documents": "tax_clearance"},
        "tender.invalid_field",
        "required_documents",
        "Give a list.",
    ),
    ({"required_declarations": 5}, "tender.invalid_field", "required_declarations", None),
    ({"procurement_method": ["open"]}, "tender.invalid_field", "procurement_method", None),
    (
        {"evaluation_method": "weighted_scoring", "evaluation_config": [("Price", 100)]},
        "tender.invalid_evaluation_config",
        "evaluation_config",
        None,
    ),
    (
        {"evaluation_method": "weighted_scoring", "evaluation_config": {"criteria": [["P", 100]]}},
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "Each criterion has a name and a weight.",
    ),
    # dates: in the future, and in order
    (
        {"clarification_deadline": NOW},
        "tender.invalid_date",
        "clarification_deadline",
        "This date must be in the future.",
    ),
    (
        {"submission_deadline": NOW - HOUR},
        "tender.invalid_date",
        "submission_deadline",
        "This date must be in the future.",
    ),
    (
        {"clarification_deadline": SUBMISSION_DEADLINE},
        "tender.invalid_date",
        "clarification_deadline",
        "The clarification deadline must be before the submission deadline.",
    ),
    (
        {"opening_at": SUBMISSION_DEADLINE - datetime.timedelta(seconds=1)},
        "tender.invalid_date",
        "opening_at",
        "The opening cannot be before the submission deadline.",
    ),
    (
        {"submission_deadline": datetime.datetime(2029, 7, 6, 9, 0)},
        "tender.invalid_date",
        "submission_deadline",
        "Give a date and time with its time zone.",
    ),
    # the minimum tendering period (open: 30 days)
    (
        {
            "submission_deadline": NOW + 30 * DAY - datetime.timedelta(seconds=1),
            "opening_at": NOW + 31 * DAY,
        },
        "tender.period_too_short",
        "submission_deadline",
        "A tender by the “Open” method needs at least 30 days between publication and the "
        "submission deadline: the deadline must be on or after 2029-07-01 12:30 (Tehran time).",
    ),
    (
        {
            "procurement_method": "restricted",
            "submission_deadline": NOW + 19 * DAY,
            "clarification_deadline": NOW + 10 * DAY,
            "opening_at": NOW + 19 * DAY,
        },
        "tender.period_too_short",
        "submission_deadline",
        None,
    ),
    (
        {
            "procurement_method": "rfq",
            "submission_deadline": NOW + 5 * DAY - HOUR,
            "clarification_deadline": NOW + 2 * DAY,
            "opening_at": NOW + 5 * DAY,
        },
        "tender.period_too_short",
        "submission_deadline",
        None,
    ),
    # evaluation
    (
        {
            "evaluation_method": "weighted_scoring",
            "evaluation_config": {
                "criteria": [{"name": "Price", "weight": 50}, {"name": "Quality", "weight": 40}]
            },
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "The weights add up to 90; they must add up to 100.",
    ),
    (
        {
            "evaluation_method": "weighted_scoring",
            "evaluation_config": {
                "criteria": [{"name": "Price", "weight": "60.5"}, {"name": "Quality", "weight": 40}]
            },
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "The weights add up to 100.5; they must add up to 100.",
    ),
    (
        {"evaluation_method": "weighted_scoring", "evaluation_config": {}},
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "Give at least one criterion with its weight.",
    ),
    (
        {
            "evaluation_method": "weighted_scoring",
            "evaluation_config": {
                "criteria": [{"name": "Price", "weight": 110}, {"name": "Quality", "weight": -10}]
            },
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "The weight of “Quality” must be greater than zero.",
    ),
    (
        {
            "evaluation_method": "weighted_scoring",
            "evaluation_config": {
                "criteria": [{"name": "Price", "weight": 50}, {"name": "price", "weight": 50}]
            },
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "Two criteria are named “price”.",
    ),
    (
        {"evaluation_config": {"criteria": [{"name": "Price", "weight": 100}]}},
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "The lowest evaluated price takes no criteria and no technical threshold.",
    ),
    (
        {
            "evaluation_method": "qcbs",
            "envelope_scheme": "two",
            "evaluation_config": {"criteria": [{"name": "Method", "weight": 100}]},
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "Give the technical threshold (the minimum technical score, out of 100).",
    ),
    (
        {
            "evaluation_method": "qcbs",
            "envelope_scheme": "two",
            "evaluation_config": {
                "criteria": [{"name": "Method", "weight": 100}],
                "technical_threshold": 101,
            },
        },
        "tender.invalid_evaluation_config",
        "evaluation_config",
        "The technical threshold must be more than 0 and at most 100.",
    ),
    (
        {
            "evaluation_method": "qcbs",
            "evaluation_config": {
                "criteria": [{"name": "Method", "weight": 100}],
                "technical_threshold": 70,
            },
        },
        "tender.invalid_evaluation_config",
        "envelope_scheme",
        "Quality- and cost-based selection needs two envelopes.",
    ),
    # committees
    (
        {"opening_threshold": 1},
        "tender.invalid_committee",
        "opening_threshold",
        "The opening threshold must be a whole number of at least 2.",
    ),
]


@pytest.mark.parametrize(("overrides", "code", "field", "message"), REFUSALS)
def test_invalid_data_is_refused_with_a_message_tied_to_its_field(
    overrides, code, field, message, nothing_written
):
    # given
    team = buyer_team()

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, **overrides)
    assert raised.value.code == code
    assert raised.value.field == field
    if message is not None:
        assert str(raised.value) == message


@pytest.mark.parametrize(
    "estimated_value",
    [1000.5, Decimal("1000.50"), "1000.50", {"amount": "1000.50", "currency": "IRR"}],
)
def test_an_amount_that_is_not_money_is_a_programming_error(nothing_written, estimated_value):
    # given
    team = buyer_team()

    # when / then: a float never becomes money, nor does an amount without its currency
    with nothing_written(), pytest.raises(TypeError):
        _create(team, estimated_value=estimated_value)


def test_money_is_never_made_from_a_float():
    # given / when / then
    with pytest.raises(TypeError, match="never a float"):
        Money(1000.5, "IRR")


def test_the_opening_may_be_at_the_deadline_and_each_method_has_its_minimum():
    # given
    team = buyer_team()

    # when a request for quotations closes exactly five days from now
    tender = _create(
        team,
        procurement_method="rfq",
        clarification_deadline=NOW + 2 * DAY,
        submission_deadline=NOW + 5 * DAY,
        opening_at=NOW + 5 * DAY,
    )

    # then
    assert tender.submission_deadline == datetime.datetime(2029, 6, 6, 9, 0, tzinfo=datetime.UTC)


def test_the_minimum_periods_come_from_the_settings(settings, nothing_written):
    # given
    settings.TENDER_MIN_PERIOD_DAYS = {"open": 40, "restricted": 20, "rfq": 5}
    team = buyer_team()

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team)
    assert raised.value.code == "tender.period_too_short"
    assert raised.value.params == {
        "min_days": 40,
        "earliest": "2029-07-11T09:00:00+00:00",
    }


def test_weighted_and_quality_cost_configurations_are_normalised():
    # given
    team = buyer_team()

    # when
    tender = _create(
        team,
        evaluation_method="qcbs",
        envelope_scheme="two",
        evaluation_config={
            "criteria": [
                {"name": " Methodology ", "weight": Decimal("62.50")},
                {"name": "Key staff", "weight": 37.5},
            ],
            "technical_threshold": "70.0",
        },
    )

    # then
    assert tender.evaluation_config == {
        "criteria": [
            {"name": "Methodology", "weight": "62.5"},
            {"name": "Key staff", "weight": "37.5"},
        ],
        "technical_threshold": "70",
    }


def test_the_opening_threshold_cannot_exceed_the_committee(nothing_written):
    # given
    team = buyer_team()

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, opening_threshold=4)
    assert raised.value.code == "tender.invalid_committee"
    assert raised.value.field == "opening_threshold"
    assert str(raised.value) == (
        "The opening threshold (4) cannot exceed the number of opening committee members (3)."
    )


def test_committee_members_must_belong_to_the_buyer(nothing_written):
    # given
    team = buyer_team()
    stranger = outsider(Role.COMMITTEE_MEMBER)

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, evaluation_committee=[stranger])
    assert raised.value.code == "tender.invalid_committee"
    assert raised.value.field == "evaluation_committee"
    assert raised.value.params == {"user_ids": [stranger.pk]}


def test_a_committee_names_nobody_twice(nothing_written):
    # given
    team = buyer_team()

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, opening_committee=[team.opening[0], team.opening[0]])
    assert (raised.value.code, raised.value.field) == (
        "tender.invalid_committee",
        "opening_committee",
    )


@pytest.mark.parametrize("who", ["officer", "committee_member", "other_buyers_approver"])
def test_the_approver_is_an_approver_of_the_buyer_and_not_the_officer(who, nothing_written):
    # given
    team = buyer_team()
    approver = {
        "officer": team.officer,
        "committee_member": team.opening[0],
        "other_buyers_approver": outsider(Role.APPROVER),
    }[who]

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, approver=approver)
    assert (raised.value.code, raised.value.field) == ("tender.invalid_approver", "approver")


def test_an_officer_who_is_also_an_approver_still_cannot_approve_their_own_tender(
    nothing_written,
):
    # given an officer who also holds the approver role in the buyer
    team = buyer_team()
    make_member(Role.APPROVER, organisation=team.buyer, user=team.officer)

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, approver=team.officer)
    assert str(raised.value) == "The officer who prepares a tender cannot be its approver."


def test_references_are_unique(nothing_written):
    # given
    team = buyer_team()
    _create(team, reference="RA-5")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _create(team, reference="RA-5")
    assert (raised.value.code, raised.value.status, raised.value.field) == (
        "tender.reference_taken",
        409,
        "reference",
    )


@pytest.mark.parametrize(
    "who",
    [
        "other_buyers_officer",
        "approver",
        "committee_member",
        "supplier",
        "auditor",
        "admin",
        "anonymous",
        "unverified_officer",
    ],
)
def test_only_an_officer_of_the_buyer_drafts_its_tenders(who, nothing_written):
    # given
    team = buyer_team()
    actor = {
        "other_buyers_officer": lambda: outsider(Role.PROCUREMENT_OFFICER),
        "approver": lambda: team.approver,
        "committee_member": lambda: team.opening[0],
        "supplier": lambda: outsider(Role.SUPPLIER_ADMIN),
        "auditor": lambda: outsider(Role.AUDITOR),
        "admin": lambda: outsider(Role.PLATFORM_ADMIN),
        "anonymous": AnonymousUser,
        "unverified_officer": lambda: make_member(
            Role.PROCUREMENT_OFFICER, organisation=team.buyer, email_verified_at=None
        ),
    }[who]()

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed) as raised:
        services.tender_create(actor=actor, buyer=team.buyer, **complete_fields(team))
    assert (raised.value.code, raised.value.status) == ("api.permission_denied", 403)


def test_a_supplier_organisation_cannot_be_a_buyer(nothing_written):
    # given an officer role somehow held in a supplier organisation
    team = buyer_team()
    supplier_org = OrganisationFactory(kind=OrganisationKind.SUPPLIER)
    make_member(Role.PROCUREMENT_OFFICER, organisation=supplier_org, user=team.officer)

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_create(actor=team.officer, buyer=supplier_org, **complete_fields(team))
