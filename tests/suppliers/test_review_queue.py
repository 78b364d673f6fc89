# ruff: noqa: RUF001 -- Persian digits in the Jalali filters.
"""The officers' review queue: submitted registrations, oldest first, filterable, in pages."""

import datetime

import pytest
from django.conf import settings

from core.clock import frozen_at
from suppliers import services
from suppliers.models import Supplier
from tests.factories import login

from .factories import officer, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


def submitted(legal_name, registration_number, at, **overrides):
    supplier, admin = registered_supplier(
        legal_name=legal_name, registration_number=registration_number, **overrides
    )
    with frozen_at(at):
        services.supplier_submit(actor=admin, supplier=supplier)
    return Supplier.objects.get(pk=supplier.pk)


@pytest.fixture
def three_submitted():
    # submitted newest first, so the order is not the order of creation
    newest = submitted(
        "Zagros Engineering Ltd.",
        "300",
        datetime.datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        country="TR",
        legal_name_fa="شرکت مهندسی زاگرس",
        cpv_codes=["72000000-5"],
    )
    oldest = submitted(
        "Alborz Road Builders Co.",
        "100",
        datetime.datetime(2026, 2, 1, 9, 30, tzinfo=UTC),
    )
    middle = submitted(
        "Caspian Medical Supplies",
        "200",
        datetime.datetime(2026, 2, 20, 12, 0, tzinfo=UTC),
        cpv_codes=["33140000-3", "45233120-6"],
    )
    return oldest, middle, newest


@pytest.fixture
def officer_client(client):
    return login(client, officer())


def _names(response):
    return [row["supplier"].legal_name for row in response.context["rows"]]


def _api_names(response):
    return [item["legal_name"] for item in response.json()["results"]]


def test_the_queue_lists_submitted_registrations_oldest_first_with_waiting_time(
    officer_client, three_submitted
):
    # given a draft and a verified supplier besides the three submitted ones
    supplier_in_state("draft", registration_number="D1")
    supplier_in_state("verified", registration_number="V1")

    # when
    with frozen_at(NOW):
        response = officer_client.get("/suppliers/review/")

    # then
    assert response.status_code == 200
    assert _names(response) == [
        "Alborz Road Builders Co.",
        "Caspian Medical Supplies",
        "Zagros Engineering Ltd.",
    ]
    assert [row["waiting_days"] for row in response.context["rows"]] == [37, 17, 1]
    page = response.content.decode()
    assert "3 registrations" in page
    assert "37 days" in page
    assert "1 day<" in page


def test_the_queue_through_the_api(client, three_submitted):
    # given
    oldest, _middle, _newest = three_submitted
    login(client, officer())

    # when
    with frozen_at(NOW):
        response = client.get("/api/v1/supplier-review/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert body["results"][0] == {
        "id": oldest.pk,
        "legal_name": "Alborz Road Builders Co.",
        "legal_name_fa": "شرکت راه‌سازان البرز",
        "registration_number": "100",
        "country": "IR",
        "cpv_codes": ["45233120-6"],
        "state": "submitted",
        "submitted_at": "2026-02-01T13:00:00+03:30",
        "waiting_days": 37,
    }
    assert _api_names(response) == [
        "Alborz Road Builders Co.",
        "Caspian Medical Supplies",
        "Zagros Engineering Ltd.",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "TR"}, ["Zagros Engineering Ltd."]),
        ({"country": "IR"}, ["Alborz Road Builders Co.", "Caspian Medical Supplies"]),
        ({"cpv_division": "45"}, ["Alborz Road Builders Co.", "Caspian Medical Supplies"]),
        ({"cpv_division": "33"}, ["Caspian Medical Supplies"]),
        ({"cpv_division": "03"}, []),
        ({"submitted_from": "2026-02-20"}, ["Caspian Medical Supplies", "Zagros Engineering Ltd."]),
        ({"submitted_to": "2026-02-20"}, ["Alborz Road Builders Co.", "Caspian Medical Supplies"]),
        (
            {"submitted_from": "2026-02-02", "submitted_to": "2026-03-08"},
            ["Caspian Medical Supplies"],
        ),
        ({"q": "caspian"}, ["Caspian Medical Supplies"]),
        ({"q": "زاگرس"}, ["Zagros Engineering Ltd."]),
        ({"q": "300"}, ["Zagros Engineering Ltd."]),
        ({"country": "IR", "q": "alborz"}, ["Alborz Road Builders Co."]),
    ],
)
def test_the_queue_filters_in_the_page_and_the_api(
    officer_client, three_submitted, query, expected
):
    # when
    page = officer_client.get("/suppliers/review/", query)
    api = officer_client.get("/api/v1/supplier-review/", query)

    # then
    assert (page.status_code, api.status_code) == (200, 200)
    assert _names(page) == expected
    assert _api_names(api) == expected


def test_other_states_on_request(officer_client, three_submitted):
    # given
    verified, _admin, _reviewer = supplier_in_state("verified", registration_number="V1")
    supplier_in_state("draft", registration_number="D1")

    # when
    verified_only = officer_client.get("/suppliers/review/", {"state": "verified"})
    every_state = officer_client.get("/api/v1/supplier-review/", {"state": "any"})

    # then drafts are never listed
    assert _names(verified_only) == [verified.legal_name]
    assert every_state.json()["count"] == 4
    assert "draft" not in {item["state"] for item in every_state.json()["results"]}


def test_an_invalid_filter_is_a_form_error_not_a_crash(officer_client, three_submitted):
    # when
    page = officer_client.get("/suppliers/review/", {"submitted_from": "yesterday"})
    api = officer_client.get("/api/v1/supplier-review/", {"cpv_division": "99"})

    # then
    assert page.status_code == 400
    assert page.context["rows"] == []
    assert "Correct the filters above." in page.content.decode()
    assert api.status_code == 400
    assert api["Content-Type"] == "application/problem+json"
    assert list(api.json()["errors"]) == ["cpv_division"]


def test_the_queue_is_paginated(officer_client, settings):
    # given 27 submitted registrations, one a day
    for n in range(27):
        submitted(
            f"Company {n:02d}",
            f"R{n:02d}",
            datetime.datetime(2026, 1, 1, tzinfo=UTC) + datetime.timedelta(days=n),
        )

    # when
    first = officer_client.get("/suppliers/review/")
    second = officer_client.get("/suppliers/review/", {"page": 2})
    api = officer_client.get("/api/v1/supplier-review/", {"page_size": 10, "page": 3})

    # then
    assert _names(first)[:2] == ["Company 00", "Company 01"]
    assert len(_names(first)) == 25
    assert _names(second) == ["Company 25", "Company 26"]
    assert "Page 1 of 2" in first.content.decode()
    assert api.json()["count"] == 27
    assert _api_names(api) == [f"Company {n:02d}" for n in range(20, 27)]


def test_an_empty_queue_says_so(officer_client):
    response = officer_client.get("/suppliers/review/")

    assert response.status_code == 200
    assert "No registration awaits verification." in response.content.decode()


def test_the_queue_in_persian_shows_jalali_dates_and_persian_digits(
    officer_client, three_submitted
):
    # when
    with frozen_at(NOW):
        response = officer_client.get("/suppliers/review/", HTTP_ACCEPT_LANGUAGE="fa")

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert 'lang="fa"' in page
    # 2026-02-01 is 12 Bahman 1404; 37 days in Persian digits
    assert "۱۲ بهمن ۱۴۰۴" in page
    assert "۳۷" in page
    assert "شرکت راه‌سازان البرز" in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"submitted_from": "۱۴۰۴/۱۲/۰۱"}, ["Caspian Medical Supplies", "Zagros Engineering Ltd."]),
        (
            {"submitted_from": "1404/11/13", "submitted_to": "۱۴۰۴/۱۲/۱۷"},
            ["Caspian Medical Supplies"],
        ),
    ],
)
def test_in_persian_the_queue_filters_by_jalali_days_and_the_api_stays_iso(
    officer_client, three_submitted, query, expected
):
    # given an officer reading in Persian
    officer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    # when they filter by Jalali days; the API, asked in Persian, by ISO days
    page = officer_client.get("/suppliers/review/", query)
    api = officer_client.get(
        "/api/v1/supplier-review/",
        {"submitted_from": "2026-02-02", "submitted_to": "2026-03-08"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )

    # then
    assert page.status_code == 200
    assert _names(page) == expected
    assert _api_names(api) == ["Caspian Medical Supplies"]
