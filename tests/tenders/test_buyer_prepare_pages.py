"""An officer prepares a two-lot tender through the pages, step by step, and submits it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from tenders.models import CommitteeKind, Tender, TenderState
from tests.factories import login

from .factories import CLARIFICATION_DEADLINE, OPENING_AT, SUBMISSION_DEADLINE, buyer_team

pytestmark = pytest.mark.django_db

BASICS = {
    "reference": "RA-2029-17",
    "title": "Resurfacing of the Karaj-Chalus road",
    "title_fa": "بهسازی جاده کرج-چالوس",
    "description": "Milling and resurfacing of 42 km of road.",
    "description_fa": "",
    "procurement_method": "open",
    "main_category": "works",
    "cpv_code": "45233120-6",
    "estimated_value_amount": "125,000,000,000.00",
    "estimated_value_currency": "IRR",
    "document_fee_amount": "50.5",
    "document_fee_currency": "EUR",
}


def _url(name, *args):
    return reverse(f"tender_admin:{name}", args=args)


def _local(moment: datetime.datetime) -> str:
    """A datetime-local input's value in the platform's time zone (Tehran, UTC+3:30)."""
    return (moment + datetime.timedelta(hours=3, minutes=30)).strftime("%Y-%m-%dT%H:%M")


def _fill_two_lot_tender(client, team) -> Tender:
    response = client.post(_url("new"), BASICS)
    tender = Tender.objects.get(reference="RA-2029-17")
    assert response.status_code == 302
    assert response["Location"] == _url("step_lots", tender.pk)
    for number in (1, 2):
        response = client.post(
            _url("step_lots", tender.pk),
            {
                "title": f"Section {number}",
                "title_fa": "",
                "description": "",
                "estimated_value_amount": "60000000000",
                "estimated_value_currency": "IRR",
                "bid_security_amount": "1200000000",
                "bid_security_currency": "IRR",
            },
        )
        assert response.status_code == 302
    for lot in tender.lots.order_by("number"):
        response = client.post(
            _url("item_add", tender.pk, lot.pk),
            {"description": "Asphalt milling", "quantity": "42000", "unit": "MTK", "cpv_code": ""},
        )
        assert response.status_code == 302
    response = client.post(
        _url("step_requirements", tender.pk),
        {
            "required_documents": ["tax_clearance"],
            "required_declarations": "No conflict of interest\n\nNot debarred\n",
        },
    )
    assert response.status_code == 302
    response = client.post(
        _url("step_timeline", tender.pk),
        {
            "clarification_deadline": _local(CLARIFICATION_DEADLINE),
            "submission_deadline": _local(SUBMISSION_DEADLINE),
            "opening_at": _local(OPENING_AT),
        },
    )
    assert response.status_code == 302
    response = client.post(
        _url("step_evaluation", tender.pk),
        {
            "envelope_scheme": "two",
            "evaluation_method": "weighted_scoring",
            "criteria": "Experience = 40\nPrice = 60",
            "technical_threshold": "",
        },
    )
    assert response.status_code == 302
    response = client.post(
        _url("step_committees", tender.pk),
        {
            "approver": team.approver.pk,
            "opening_committee": [user.pk for user in team.opening],
            "opening_threshold": "2",
            "evaluation_committee": [user.pk for user in team.evaluation],
        },
    )
    assert response.status_code == 302
    assert response["Location"] == _url("step_documents", tender.pk)
    return Tender.objects.get(pk=tender.pk)


def test_an_officer_fills_a_two_lot_tender_step_by_step_and_submits_it(client):
    # given
    team = buyer_team()
    login(client, team.officer)

    # when
    tender = _fill_two_lot_tender(client, team)
    response = client.post(_url("submit", tender.pk))

    # then
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.state == TenderState.AWAITING_APPROVAL
    assert tender.buyer == team.buyer
    assert tender.created_by == team.officer
    assert str(tender.estimated_value) == "125000000000.00 IRR"
    assert str(tender.document_fee) == "50.50 EUR"
    assert tender.required_documents == ["tax_clearance"]
    assert tender.required_declarations == ["No conflict of interest", "Not debarred"]
    assert tender.clarification_deadline == CLARIFICATION_DEADLINE
    assert tender.submission_deadline == SUBMISSION_DEADLINE
    assert tender.opening_at == OPENING_AT
    assert tender.envelope_scheme == "two"
    assert tender.evaluation_config == {
        "criteria": [{"name": "Experience", "weight": "40"}, {"name": "Price", "weight": "60"}]
    }
    assert tender.approver == team.approver
    assert tender.opening_threshold == 2
    assert [(m.kind, m.user) for m in tender.committee_memberships.order_by("kind", "pk")] == [
        *[(CommitteeKind.EVALUATION, user) for user in team.evaluation],
        *[(CommitteeKind.OPENING, user) for user in team.opening],
    ]
    assert [(lot.number, lot.title, lot.items.count()) for lot in tender.lots.all()] == [
        (1, "Section 1", 1),
        (2, "Section 2", 1),
    ]
    assert list(
        Event.objects.filter(object_id=str(tender.pk), object_type="tenders.tender")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == [
        "tender.created",
        "tender.lot_added",
        "tender.lot_added",
        "tender.item_added",
        "tender.item_added",
        "tender.updated",
        "tender.updated",
        "tender.updated",
        "tender.updated",
        # the committees step: one event per member named (3 openers, 1 evaluator)
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.submitted_for_approval",
    ]


def test_each_step_page_shows_its_form_and_the_steps(client):
    # given
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when
    pages = {
        slug: client.get(_url(f"step_{slug}", tender.pk))
        for slug in (
            "basics",
            "lots",
            "requirements",
            "timeline",
            "evaluation",
            "committees",
            "documents",
        )
    }

    # then
    assert {slug: page.status_code for slug, page in pages.items()} == dict.fromkeys(pages, 200)
    assert 'value="RA-2029-17"' in pages["basics"].content.decode()
    assert 'value="2029-07-06T12:30"' in pages["timeline"].content.decode()
    assert "Experience = 40\nPrice = 60" in pages["evaluation"].content.decode()
    assert "Section 2" in pages["lots"].content.decode()


def test_a_domain_error_is_shown_on_its_field_and_nothing_is_saved(client, nothing_written):
    # given
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when
    with nothing_written():
        bad_cpv = client.post(_url("step_basics", tender.pk), {**BASICS, "cpv_code": "45233120-5"})
        bad_weights = client.post(
            _url("step_evaluation", tender.pk),
            {
                "envelope_scheme": "single",
                "evaluation_method": "weighted_scoring",
                "criteria": "Experience = 40\nPrice = 50",
            },
        )
        bad_order = client.post(
            _url("step_timeline", tender.pk),
            {
                "clarification_deadline": _local(SUBMISSION_DEADLINE),
                "submission_deadline": _local(CLARIFICATION_DEADLINE),
                "opening_at": _local(OPENING_AT),
            },
        )

    # then
    assert bad_cpv.status_code == 400
    assert list(bad_cpv.context["form"].errors) == ["cpv_code"]
    assert bad_weights.status_code == 400
    assert bad_weights.context["form"].errors == {
        "criteria": ["The weights add up to 90; they must add up to 100."]
    }
    assert bad_order.status_code == 400
    assert bad_order.context["form"].errors


def test_submitting_an_incomplete_draft_says_what_is_missing(client, nothing_written):
    # given
    team = buyer_team()
    login(client, team.officer)
    client.post(_url("new"), BASICS)
    tender = Tender.objects.get(reference="RA-2029-17")

    # when
    with nothing_written():
        response = client.post(_url("submit", tender.pk))

    # then
    assert response.status_code == 400
    assert response.context["action_error"]
    assert Tender.objects.get(pk=tender.pk).state == TenderState.DRAFT


def test_lots_and_items_are_edited_and_removed(client):
    # given
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)
    first, second = tender.lots.order_by("number")
    item = first.items.get()

    # when
    client.post(
        _url("lot_edit", tender.pk, second.pk),
        {
            "title": "Bridges",
            "estimated_value_amount": "7000",
            "estimated_value_currency": "IRR",
            "bid_security_amount": "",
            "bid_security_currency": "IRR",
        },
    )
    client.post(
        _url("item_edit", tender.pk, item.pk),
        {"description": "Milling", "quantity": "12.5", "unit": "MTK", "cpv_code": "44113620-7"},
    )
    client.post(_url("lot_remove", tender.pk, first.pk))

    # then
    lots = list(tender.lots.all())
    assert [
        (lot.number, lot.title, str(lot.estimated_value), str(lot.bid_security)) for lot in lots
    ] == [(1, "Bridges", "7000.00 IRR", "0.00 IRR")]
    assert not type(item).objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        ("12.505", "EUR", "EUR has 2 decimal places: at most 2 digits after the point."),
        ("12.001", "IRR", "IRR has 2 decimal places: at most 2 digits after the point."),
        ("-5", "USD", "The amount cannot be negative."),
        ("twelve", "EUR", "Enter an amount, such as 1250.50."),
        ("12", "GBP", "Select a valid choice. GBP is not one of the available choices."),
    ],
)
def test_an_amount_the_currency_cannot_hold_is_a_field_error_and_nothing_is_saved(
    client, nothing_written, amount, currency, message
):
    # given a draft
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when the officer gives the estimate more decimals than its currency has, and so on
    with nothing_written():
        response = client.post(
            _url("step_basics", tender.pk),
            {**BASICS, "estimated_value_amount": amount, "estimated_value_currency": currency},
        )

    # then the page says so on the field, and the draft is as it was
    assert response.status_code == 400
    assert response.context["form"].errors == {"estimated_value": [message]}
    tender.refresh_from_db()
    assert str(tender.estimated_value) == "125000000000.00 IRR"


def test_an_amount_may_be_typed_as_persian_writes_it(client):
    # given a draft, and an officer working in Persian
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when the officer types Persian digits and separators
    with translation.override("fa"):
        response = client.post(
            _url("step_basics", tender.pk),
            {**BASICS, "estimated_value_amount": "۱۲۵٬۰۰۰٬۰۰۰٫۵۰"},  # noqa: RUF001
            HTTP_ACCEPT_LANGUAGE="fa",
        )

    # then the amount is read exactly
    assert response.status_code == 302
    tender.refresh_from_db()
    assert str(tender.estimated_value) == "125000000.50 IRR"


def test_a_new_lot_proposes_the_tenders_currency(client):
    # given a draft whose estimate is in euros
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)
    client.post(
        _url("step_basics", tender.pk),
        {**BASICS, "estimated_value_amount": "900000", "estimated_value_currency": "EUR"},
    )

    # when the officer opens the lots step
    page = client.get(_url("step_lots", tender.pk)).content.decode()

    # then the new lot's amounts are proposed in euros
    assert '<option value="EUR" selected>EUR · Euro</option>' in page
    assert page.count('<option value="EUR" selected>') == 2


def test_the_not_ready_list_links_each_missing_piece_to_its_step(client, nothing_written):
    # given a draft with its basics only
    team = buyer_team()
    login(client, team.officer)
    client.post(_url("new"), {**BASICS, "description": ""})
    tender = Tender.objects.get(reference="RA-2029-17")

    # when the officer submits it
    with nothing_written():
        response = client.post(_url("submit", tender.pk))

    # then each missing piece is listed in the officer's words, linked to where it is filled in
    assert response.status_code == 400
    assert response.context["action_error"] == "The tender is not ready yet. What is missing:"
    rows = [
        (row["place"], row["label"], row["message"], row["url"])
        for row in response.context["action_problems"]
    ]
    steps = f"/buyer/tenders/{tender.pk}"
    assert rows[:2] == [
        (
            "Basics",
            "Description (English)",
            "Describe what is being procured.",
            f"{steps}/basics/#id_description",
        ),
        (
            "Timeline",
            "Clarification deadline",
            "This date is required.",
            f"{steps}/timeline/#id_clarification_deadline",
        ),
    ]
    assert ("Lots and items", "", "A tender needs at least one lot.", f"{steps}/lots/") in rows
    assert all(row[3] for row in rows)
    html = response.content.decode()
    assert (
        f'<li><a href="{steps}/timeline/#id_submission_deadline">Timeline · Submission deadline'
        "</a>: This date is required.</li>"
    ) in html
    assert "tender." not in "".join(row[2] for row in rows)


def test_the_buyer_sees_when_the_lots_do_not_add_up_to_the_estimate(client):
    # given a draft estimated at 125,000,000,000 IRR whose two lots add up to 120,000,000,000
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when the officer opens the lots step and the detail page
    lots = client.get(_url("step_lots", tender.pk))
    detail = client.get(_url("detail", tender.pk))

    # then both say by how much they differ
    warning = (
        '<div class="alert alert-warning" role="status" id="lot-values-warning">The lots add up '
        "to 120,000,000,000.00 IRR: 5,000,000,000.00 IRR less than the tender&#x27;s estimate "
        "of 125,000,000,000.00 IRR.</div>"
    )
    assert warning in lots.content.decode()
    assert warning in detail.content.decode()


def test_lots_that_add_up_to_the_estimate_raise_no_warning(client):
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)
    client.post(
        _url("step_basics", tender.pk),
        {**BASICS, "estimated_value_amount": "120000000000", "estimated_value_currency": "IRR"},
    )

    assert (
        'id="lot-values-warning"' not in client.get(_url("step_lots", tender.pk)).content.decode()
    )
    assert 'id="lot-values-warning"' not in client.get(_url("detail", tender.pk)).content.decode()


def test_a_step_shows_all_of_its_errors_at_once(client, nothing_written):
    # given a draft
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    # when the basics come back with two values the service refuses
    with nothing_written():
        response = client.post(
            _url("step_basics", tender.pk),
            {**BASICS, "reference": "RA 2029/17", "cpv_code": "45233120-5"},
        )

    # then both are shown, each on its field, in one round trip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert sorted(errors) == ["cpv_code", "reference"]
    assert errors["reference"] == [
        "A reference has 1 to 48 letters, digits, dots, hyphens or underscores, and starts "
        "with a letter or a digit."
    ]


def test_the_api_lists_all_of_a_drafts_errors_by_field(client):
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)

    response = client.patch(
        f"/api/v1/tenders/{tender.pk}/",
        {"reference": "RA 2029/17", "cpv_code": "45233120-5"},
        content_type="application/json",
    )

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "tender.invalid_draft"
    assert sorted(body["errors"]) == ["cpv_code", "reference"]
    assert [p["field"] for p in body["params"]["problems"]] == ["reference", "cpv_code"]
