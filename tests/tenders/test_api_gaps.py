"""The API endpoints that complete the tender flow: lots, items, documents, unsuccessful, outages,
and the caller's own lists. Each calls one service; refusals are problem+json, nothing written."""

import datetime
import hashlib
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from tenders import services
from tenders.models import Item, Lot, Outage, Tender, TenderDocument
from tests.factories import login
from tests.suppliers.factories import PDF, pdf, supplier_in_state

from .factories import NOW, SUBMISSION_DEADLINE, draft_tender, outsider, tender_in_state

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders"
JSON = "application/json"


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


def _actions(tender) -> list[str]:
    return list(
        Event.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _lots(tender) -> list[tuple]:
    return list(
        Lot.objects.filter(tender=tender)
        .order_by("number")
        .values_list("number", "title", "estimated_value_amount", "estimated_value_currency")
    )


# --- lots ------------------------------------------------------------------------------------


def test_the_officer_changes_a_lot_of_a_draft(client):
    # given a draft with one lot
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, team.officer)

    # when the officer changes its title and value
    response = client.patch(
        f"{API}/{tender.pk}/lots/{lot.pk}/",
        {"title": "Section A", "estimated_value": {"amount": "61000000000", "currency": "IRR"}},
        content_type=JSON,
    )

    # then the lot is changed, and the change is on the audit trail
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["id"], body["number"], body["title"]) == (lot.pk, 1, "Section A")
    assert (body["estimated_value"], body["bid_security"]) == (
        {"amount": "61000000000.00", "currency": "IRR"},
        {"amount": "1200000000.00", "currency": "IRR"},
    )
    assert [item["description"] for item in body["items"]] == [
        "Asphalt milling",
        "Asphalt concrete",
    ]
    event = Event.objects.filter(action="tender.lot_updated").get()
    assert event.payload == {
        "lot_id": lot.pk,
        "number": 1,
        "changed": {
            "title": {"from": "Section 1", "to": "Section A"},
            "estimated_value": {
                "from": {"amount": "60000000000.00", "currency": "IRR"},
                "to": {"amount": "61000000000.00", "currency": "IRR"},
            },
        },
    }


def test_removing_a_lot_renumbers_the_later_ones(client):
    # given a draft with three lots
    tender, team = draft_tender(lots=3)
    first = tender.lots.get(number=1)
    login(client, team.officer)

    # when the officer removes the first
    response = client.delete(f"{API}/{tender.pk}/lots/{first.pk}/")

    # then the others move up, and the removal is recorded
    assert response.status_code == 204
    assert [(number, title) for number, title, _amount, _currency in _lots(tender)] == [
        (1, "Section 2"),
        (2, "Section 3"),
    ]
    assert not Item.objects.filter(lot_id=first.pk).exists()
    assert Event.objects.filter(action="tender.lot_removed").get().payload == {
        "lot_id": first.pk,
        "number": 1,
        "title": "Section 1",
        "title_fa": "",
    }


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("outsider", 404, "tender.not_found"),
        ("approver", 403, "api.permission_denied"),
    ],
)
def test_a_lot_is_changed_or_removed_only_by_the_buyers_officer(
    client, nothing_written, who, status, code
):
    # given a draft, and someone who may not prepare it
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, outsider() if who == "outsider" else team.approver)

    # when they change, then remove, the lot
    with nothing_written():
        changed = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/", {"title": "X"}, content_type=JSON
        )
        removed = client.delete(f"{API}/{tender.pk}/lots/{lot.pk}/")

    # then both are refused, and nothing changed
    _problem(changed, status, code)
    _problem(removed, status, code)
    assert _lots(tender) == [(1, "Section 1", Decimal("60000000000.0000"), "IRR")]


def test_anonymous_callers_cannot_touch_a_lot(client, nothing_written):
    # given a draft
    tender, _team = draft_tender()
    lot = tender.lots.get()

    # when anonymous callers try
    with nothing_written():
        answers = [
            client.patch(f"{API}/{tender.pk}/lots/{lot.pk}/", {"title": "X"}, content_type=JSON),
            client.delete(f"{API}/{tender.pk}/lots/{lot.pk}/"),
        ]

    # then 401 problems (the API token scheme is the challenge)
    for response in answers:
        _problem(response, 401, "api.not_authenticated")


def test_a_published_tenders_lots_are_not_editable(client, nothing_written):
    # given a published tender
    tender, team = tender_in_state("published")
    lot = tender.lots.get()
    login(client, team.officer)

    # when its officer changes, then removes, a lot
    with nothing_written():
        changed = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/", {"title": "X"}, content_type=JSON
        )
        removed = client.delete(f"{API}/{tender.pk}/lots/{lot.pk}/")

    # then 409 problems
    _problem(changed, 409, "tender.not_editable")
    _problem(removed, 409, "tender.not_editable")


def test_invalid_lot_values_and_other_tenders_lots_are_refused(client, nothing_written):
    # given two drafts of the same buyer
    tender, team = draft_tender()
    other, _team = draft_tender(team)
    lot = tender.lots.get()
    other_lot = other.lots.get()
    login(client, team.officer)

    # when the officer blanks the title (the lot has no Persian one), makes it too long,
    # sends a negative value, and names the other tender's lot
    with nothing_written():
        blank = client.patch(f"{API}/{tender.pk}/lots/{lot.pk}/", {"title": ""}, content_type=JSON)
        too_long = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/", {"title": "x" * 301}, content_type=JSON
        )
        negative = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/",
            {"estimated_value": {"amount": "-1.00", "currency": "IRR"}},
            content_type=JSON,
        )
        mismatched = client.delete(f"{API}/{tender.pk}/lots/{other_lot.pk}/")

    # then 422 problems naming the field (a title in one language at least), and a 404
    _problem(blank, 422, "tender.invalid_field")
    assert blank.json()["errors"] == {"title": ["Write it in English, in Persian or in both."]}
    _problem(too_long, 422, "tender.invalid_field")
    assert list(too_long.json()["errors"]) == ["title"]
    _problem(negative, 422, "money.invalid_amount")
    assert list(negative.json()["errors"]) == ["estimated_value"]
    _problem(mismatched, 404, "api.not_found")


# (the amount and currency sent, the problem's status, code and message)
MONEY_REFUSALS = [
    # a JSON number may have been a float on its way: the amount is text, always
    (
        12.5,
        "EUR",
        400,
        "api.invalid",
        'Give the amount as a string of digits, such as "1250.50", not as a JSON number.',
    ),
    (
        12,
        "EUR",
        400,
        "api.invalid",
        'Give the amount as a string of digits, such as "1250.50", not as a JSON number.',
    ),
    (
        "12.505",
        "EUR",
        422,
        "money.too_many_decimals",
        "EUR has 2 decimal places: at most 2 digits after the point.",
    ),
    (
        "12.5",
        "JPY",
        422,
        "money.too_many_decimals",
        "JPY has no minor unit: give a whole amount.",
    ),
    (
        "12.0005",
        "KWD",
        422,
        "money.too_many_decimals",
        "KWD has 3 decimal places: at most 3 digits after the point.",
    ),
    (
        "12.001",
        "IRR",
        422,
        "money.too_many_decimals",
        "IRR has 2 decimal places: at most 2 digits after the point.",
    ),
    (
        "12",
        "GBP",
        422,
        "money.currency_not_accepted",
        "The platform accepts amounts in IRR, EUR, USD, JPY, KWD, not in GBP.",
    ),
    ("12", "ABC", 422, "money.unknown_currency", "“ABC” is not an ISO 4217 currency code."),
    ("1,200", "EUR", 422, "money.invalid_amount", "Enter an amount, such as 1250.50."),
    ("1e3", "EUR", 422, "money.invalid_amount", "Enter an amount, such as 1250.50."),
]


@pytest.mark.parametrize(("amount", "currency", "status", "code", "message"), MONEY_REFUSALS)
def test_an_amount_is_text_with_no_more_decimals_than_its_currency_has(
    client, settings, nothing_written, amount, currency, status, code, message
):
    # given a draft's lot, on a platform that takes yen and dinars too
    settings.PANJERE_CURRENCIES = ["IRR", "EUR", "USD", "JPY", "KWD"]
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, team.officer)

    # when the officer sends the amount
    with nothing_written():
        response = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/",
            {"bid_security": {"amount": amount, "currency": currency}},
            content_type=JSON,
        )

    # then it is refused, on the field, and the lot is as it was
    _problem(response, status, code)
    assert response.json()["errors"] == {"bid_security": [message]}
    lot.refresh_from_db()
    assert str(lot.bid_security) == "1200000000.00 IRR"


@pytest.mark.parametrize(
    ("amount", "currency", "stored"),
    [("12.5", "EUR", "12.50 EUR"), ("12", "JPY", "12 JPY"), ("12.125", "KWD", "12.125 KWD")],
)
def test_each_currency_keeps_its_own_minor_units(client, settings, amount, currency, stored):
    # given
    settings.PANJERE_CURRENCIES = ["IRR", "EUR", "JPY", "KWD"]
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, team.officer)

    # when
    response = client.patch(
        f"{API}/{tender.pk}/lots/{lot.pk}/",
        {"bid_security": {"amount": amount, "currency": currency}},
        content_type=JSON,
    )

    # then stored exactly, and answered with the currency's minor units
    assert response.status_code == 200, response.content
    lot.refresh_from_db()
    assert str(lot.bid_security) == stored
    assert response.json()["bid_security"] == {
        "amount": stored.split()[0],
        "currency": currency,
    }


@pytest.mark.parametrize(
    "value", ["12.50", {"amount": "12.50"}, {"amount": "12.50", "currency": "EUR", "x": 1}]
)
def test_an_amount_without_its_currency_is_refused(client, nothing_written, value):
    # given
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, team.officer)

    # when
    with nothing_written():
        response = client.patch(
            f"{API}/{tender.pk}/lots/{lot.pk}/", {"bid_security": value}, content_type=JSON
        )

    # then
    _problem(response, 400, "api.invalid")
    assert response.json()["errors"] == {
        "bid_security": ['Give an object such as {"amount": "1250.50", "currency": "EUR"}.']
    }


# --- items -----------------------------------------------------------------------------------


def test_the_officer_adds_changes_and_removes_an_item(client):
    # given a draft with one lot of two items
    tender, team = draft_tender()
    lot = tender.lots.get()
    login(client, team.officer)

    # when the officer adds an item, changes it, and removes the first one
    added = client.post(
        f"{API}/{tender.pk}/lots/{lot.pk}/items/",
        {"description": "Road markings", "quantity": "84", "unit": "km"},
        content_type=JSON,
    )
    item_id = added.json()["id"]
    changed = client.patch(
        f"{API}/{tender.pk}/lots/{lot.pk}/items/{item_id}/",
        {"quantity": "84.5", "cpv_code": "45233221-4"},
        content_type=JSON,
    )
    first = lot.items.order_by("pk").first()
    removed = client.delete(f"{API}/{tender.pk}/lots/{lot.pk}/items/{first.pk}/")

    # then
    assert added.status_code == 201, added.content
    assert changed.status_code == 200, changed.content
    assert changed.json() == {
        "id": item_id,
        "description": "Road markings",
        "description_fa": "",
        "quantity": "84.500",
        # "km" is stored as its UN/ECE Recommendation 20 code
        "unit": "KMT",
        "unit_scheme": "UNCEFACT",
        "unit_name": "kilometre",
        "unit_name_fa": "کیلومتر",
        "cpv_code": "45233221-4",
    }
    assert removed.status_code == 204
    assert list(lot.items.order_by("pk").values_list("description", flat=True)) == [
        "Asphalt concrete",
        "Road markings",
    ]
    assert _actions(tender)[-3:] == [
        "tender.item_added",
        "tender.item_updated",
        "tender.item_removed",
    ]


def test_item_refusals(client, nothing_written):
    # given a draft, a published tender, and their items
    tender, team = draft_tender()
    lot = tender.lots.get()
    item = lot.items.order_by("pk").first()
    published, published_team = tender_in_state("published")
    published_lot = published.lots.get()
    published_item = published_lot.items.order_by("pk").first()
    url = f"{API}/{tender.pk}/lots/{lot.pk}/items/{item.pk}/"

    # when the approver, the officer with bad values, and the officer of a published tender try
    with nothing_written():
        login(client, team.approver)
        by_approver = client.patch(url, {"unit": "kg"}, content_type=JSON)
        login(client, team.officer)
        bad_quantity = client.patch(url, {"quantity": "0"}, content_type=JSON)
        bad_cpv = client.post(
            f"{API}/{tender.pk}/lots/{lot.pk}/items/",
            {"description": "X", "quantity": "1", "unit": "t", "cpv_code": "99999999-9"},
            content_type=JSON,
        )
        not_a_number = client.patch(url, {"quantity": "many"}, content_type=JSON)
        unknown_item = client.delete(f"{API}/{tender.pk}/lots/{lot.pk}/items/{item.pk + 999}/")
        login(client, published_team.officer)
        not_editable = client.delete(
            f"{API}/{published.pk}/lots/{published_lot.pk}/items/{published_item.pk}/"
        )

    # then
    _problem(by_approver, 403, "api.permission_denied")
    assert bad_quantity.status_code == 422
    assert bad_quantity["Content-Type"] == "application/problem+json"
    assert list(bad_quantity.json()["errors"]) == ["quantity"]
    _problem(bad_cpv, 422, "tender.unknown_cpv_code")
    _problem(not_a_number, 400, "api.invalid")
    assert list(not_a_number.json()["errors"]) == ["quantity"]
    _problem(unknown_item, 404, "api.not_found")
    _problem(not_editable, 409, "tender.not_editable")


# --- declaring a tender unsuccessful ------------------------------------------------------------


def test_the_officer_declares_a_closed_tender_unsuccessful(client):
    # given a closed tender
    tender, team = tender_in_state("closed")
    login(client, team.officer)

    # when its officer declares it unsuccessful
    response = client.post(
        f"{API}/{tender.pk}/declare-unsuccessful/",
        {"reason": "No bid was received."},
        content_type=JSON,
    )

    # then
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "unsuccessful"
    tender.refresh_from_db()
    assert (tender.state, tender.unsuccessful_reason) == ("unsuccessful", "No bid was received.")
    event = Event.objects.filter(action="tender.unsuccessful").get()
    assert (event.actor_user, event.reason) == (team.officer, "No bid was received.")


@pytest.mark.parametrize(
    ("state", "who", "reason", "status", "code"),
    [
        ("published", "officer", "No bids.", 409, "tender.invalid_transition"),
        ("closed", "outsider", "No bids.", 403, "api.permission_denied"),
        ("closed", "officer", "   ", 422, "tender.reason_required"),
        ("draft", "outsider", "No bids.", 404, "tender.not_found"),
    ],
)
def test_declaring_unsuccessful_refusals(client, nothing_written, state, who, reason, status, code):
    # given
    tender, team = tender_in_state(state)
    login(client, team.officer if who == "officer" else outsider())

    # when
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/declare-unsuccessful/", {"reason": reason}, content_type=JSON
        )

    # then
    _problem(response, status, code)
    assert Tender.objects.get(pk=tender.pk).state == state


# --- documents ---------------------------------------------------------------------------------


def test_the_officer_uploads_documents_and_lists_them(client):
    # given a draft
    tender, team = draft_tender()
    login(client, team.officer)

    # when the officer uploads a document twice (a new version), then lists them
    first = client.post(
        f"{API}/{tender.pk}/documents/", {"title": "Specs", "file": pdf("specs.pdf")}
    )
    second = client.post(
        f"{API}/{tender.pk}/documents/", {"title": "Specs", "file": pdf("specs-v2.pdf")}
    )
    listed = client.get(f"{API}/{tender.pk}/documents/")

    # then both versions, the newest first, each with its download address
    assert (first.status_code, second.status_code, listed.status_code) == (201, 201, 200)
    old, new = TenderDocument.objects.filter(tender=tender).order_by("version")
    sha256 = hashlib.sha256(PDF).hexdigest()  # the same bytes in both versions
    expected = [
        {
            "id": document.pk,
            "title": "Specs",
            "title_fa": "",
            "version": version,
            "is_current": current,
            "original_name": name,
            "content_type": "application/pdf",
            "size": len(PDF),
            "sha256": sha256,
            "created_at": "2029-06-01T12:30:00+03:30",
            "download_url": f"/buyer/tenders/{tender.pk}/documents/{document.pk}/download/",
            "amendment": None,
            "withdrawn_by_amendment": None,
        }
        for document, version, current, name in [
            (new, 2, True, "specs-v2.pdf"),
            (old, 1, False, "specs.pdf"),
        ]
    ]
    assert listed.json() == expected
    assert second.json() == expected[0]
    assert client.get(expected[0]["download_url"]).status_code == 200
    assert _actions(tender)[-2:] == ["tender.document_uploaded", "tender.document_uploaded"]


def test_a_drafts_documents_are_hidden_and_a_published_ones_public(client):
    # given a draft with a document
    tender, team = draft_tender()
    services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specs", uploaded=pdf("specs.pdf")
    )

    # when the public lists them, before and after publication
    before = client.get(f"{API}/{tender.pk}/documents/")
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    after = client.get(f"{API}/{tender.pk}/documents/")

    # then
    _problem(before, 404, "tender.not_found")
    assert [(d["title"], d["version"]) for d in after.json()] == [("Specs", 1)]


def test_document_upload_refusals(client, nothing_written):
    # given a draft and a published tender
    tender, team = draft_tender()
    published, published_team = tender_in_state("published")
    not_a_pdf = SimpleUploadedFile("specs.pdf", b"just words", content_type="application/pdf")

    # when anonymous, the approver, the officer with bad input, and a published tender's officer
    with nothing_written():
        anonymous = client.post(f"{API}/{tender.pk}/documents/", {"title": "S", "file": pdf()})
        login(client, team.approver)
        by_approver = client.post(f"{API}/{tender.pk}/documents/", {"title": "S", "file": pdf()})
        login(client, team.officer)
        rejected = client.post(f"{API}/{tender.pk}/documents/", {"title": "S", "file": not_a_pdf})
        no_file = client.post(f"{API}/{tender.pk}/documents/", {"title": "S"})
        as_json = client.post(f"{API}/{tender.pk}/documents/", {"title": "S"}, content_type=JSON)
        login(client, published_team.officer)
        not_editable = client.post(
            f"{API}/{published.pk}/documents/", {"title": "S", "file": pdf()}
        )

    # then
    _problem(anonymous, 401, "api.not_authenticated")
    _problem(by_approver, 403, "api.permission_denied")
    _problem(rejected, 422, "tender.document_rejected")
    _problem(no_file, 400, "api.invalid")
    assert list(no_file.json()["errors"]) == ["file"]
    _problem(as_json, 415, "api.unsupported_media_type")
    _problem(not_editable, 409, "tender.not_editable")


# --- outages ------------------------------------------------------------------------------------


def test_a_platform_admin_records_an_outage_and_deadlines_move(client):
    # given a tender whose deadline fell inside the outage
    tender, _team = tender_in_state("published")
    admin = outsider(Role.PLATFORM_ADMIN)
    starts_at = SUBMISSION_DEADLINE - datetime.timedelta(hours=1)
    ends_at = SUBMISSION_DEADLINE + datetime.timedelta(hours=1)
    login(client, admin)

    # when the admin records it, after it is over
    with frozen_at(ends_at + datetime.timedelta(minutes=15)):
        response = client.post(
            f"{API}/outages/",
            {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(), "reason": "DC"},
            content_type=JSON,
        )

    # then the outage, and the tender's deadline moved by L + M = 2 h + 2 h
    assert response.status_code == 201, response.content
    outage = Outage.objects.get()
    assert response.json() == {
        "id": outage.pk,
        "starts_at": "2029-07-06T11:30:00+03:30",
        "ends_at": "2029-07-06T13:30:00+03:30",
        "reason": "DC",
        "recorded_at": "2029-07-06T13:45:00+03:30",
    }
    tender.refresh_from_db()
    assert tender.submission_deadline == SUBMISSION_DEADLINE + datetime.timedelta(hours=4)
    assert Event.objects.filter(action="outage.recorded").get().actor_user == admin


@pytest.mark.parametrize(
    ("who", "ends_in", "status", "code"),
    [
        ("anonymous", -1, 401, "api.not_authenticated"),
        ("officer", -1, 403, "api.permission_denied"),
        ("admin", +1, 422, "outage.invalid"),
    ],
)
def test_outage_refusals(client, nothing_written, who, ends_in, status, code):
    # given
    _tender, team = tender_in_state("published")
    if who == "officer":
        login(client, team.officer)
    elif who == "admin":
        login(client, outsider(Role.PLATFORM_ADMIN))
    ends_at = NOW + datetime.timedelta(hours=ends_in)

    # when
    with nothing_written():
        response = client.post(
            f"{API}/outages/",
            {
                "starts_at": (NOW - datetime.timedelta(hours=3)).isoformat(),
                "ends_at": ends_at.isoformat(),
                "reason": "DC",
            },
            content_type=JSON,
        )

    # then
    _problem(response, status, code)


# --- the caller's own lists ---------------------------------------------------------------------


def test_a_suppliers_user_sees_matching_followed_tenders_and_questions(client):
    # given two published tenders, one in the supplier's category; it follows and asks on the other
    works, _team = tender_in_state("published")
    goods, _team = tender_in_state(
        "published", main_category="goods", title="Laptops", cpv_code="30213100-6"
    )
    tender_in_state("draft")
    supplier, admin, _reviewer = supplier_in_state("verified")
    services.tender_follow(actor=admin, tender=goods)
    services.clarification_ask(
        actor=admin, tender=goods, supplier=supplier, question="Which keyboard layout?"
    )
    login(client, admin)

    # when
    matching = client.get(f"{API}/mine/matching/")
    following = client.get(f"{API}/mine/following/")
    questions = client.get(f"{API}/mine/questions/")

    # then
    assert [t["id"] for t in matching.json()["results"]] == [works.pk]
    assert [t["id"] for t in following.json()["results"]] == [goods.pk]
    assert questions.json() == {
        "count": 1,
        "next": None,
        "previous": None,
        "results": [
            {
                "number": 1,
                "question": "Which keyboard layout?",
                "question_fa": "",
                "asked_at": "2029-06-01T12:30:00+03:30",
                "answer": "",
                "answer_fa": "",
                "answered_at": None,
                "tender": {
                    "id": goods.pk,
                    "reference": goods.reference,
                    "title": "Laptops",
                    "title_fa": "بهسازی جاده کرج-چالوس",
                },
            }
        ],
    }


def test_someone_else_sees_none_of_them_and_anonymous_is_refused(client):
    # given a supplier's question and follow
    goods, _team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    services.tender_follow(actor=admin, tender=goods)
    services.clarification_ask(actor=admin, tender=goods, supplier=supplier, question="?")

    # when anonymous, then another user, ask for their lists
    anonymous = [
        client.get(f"{API}/mine/{name}/") for name in ("matching", "following", "questions")
    ]
    login(client, outsider())
    other = [client.get(f"{API}/mine/{name}/") for name in ("matching", "following", "questions")]

    # then
    for response in anonymous:
        _problem(response, 401, "api.not_authenticated")
    assert [response.json()["count"] for response in other] == [0, 0, 0]


# --- amendments: dates arrive as ISO 8601 text ---------------------------------------------------


def test_an_amendments_dates_are_parsed_and_bad_ones_refused(client, nothing_written):
    # given a published tender
    tender, team = tender_in_state("published")
    login(client, team.officer)

    # when the officer sends a date that is no date, then a valid one
    with nothing_written():
        bad = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "Later", "changes": {"submission_deadline": "next Tuesday"}},
            content_type=JSON,
        )
    good = client.post(
        f"{API}/{tender.pk}/amendments/",
        {
            "summary": "Later",
            "changes": {
                "submission_deadline": "2029-07-08T12:30:00+03:30",
                "opening_at": "2029-07-08T13:30:00+03:30",
            },
        },
        content_type=JSON,
    )

    # then a 400 problem naming the field, then the deadline moved two days
    _problem(bad, 400, "api.invalid")
    assert list(bad.json()["errors"]["changes"]) == ["submission_deadline"]
    assert good.status_code == 201, good.content
    tender.refresh_from_db()
    assert tender.submission_deadline == SUBMISSION_DEADLINE + datetime.timedelta(days=2)
