# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The public debarment list, as a page and through the API, for anyone without an account."""

import datetime

import pytest

from core.clock import frozen_at
from suppliers import services

from .factories import oversight_admin, supplier_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def debarred_and_not():
    """Two debarred suppliers (debarred on different days), and one verified, one suspended."""
    first, _admin, _reviewer = supplier_in_state(
        "verified",
        registration_number="111",
        legal_name="Golestan Trading Co.",
        legal_name_fa="شرکت بازرگانی گلستان",
    )
    second, _admin, _reviewer = supplier_in_state(
        "suspended",
        registration_number="222",
        legal_name="Anatolia Medical Ltd.",
        legal_name_fa="",
        country="TR",
    )
    supplier_in_state("verified", registration_number="333", legal_name="Clean Co.")
    supplier_in_state("suspended", registration_number="444", legal_name="Suspended Co.")
    judge = oversight_admin()
    with frozen_at(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        services.supplier_debar(
            actor=judge,
            supplier=first,
            reason="Collusive bidding in tender T-17",
            until=datetime.date(2027, 3, 1),
        )
    with frozen_at(datetime.datetime(2026, 4, 5, 9, 0, tzinfo=datetime.UTC)):
        services.supplier_debar(
            actor=judge,
            supplier=second,
            reason="Forged bank guarantee",
            until=datetime.date(2028, 4, 5),
        )
    return first, second


def test_anyone_reads_the_debarment_list_through_the_api(client, debarred_and_not):
    # when an anonymous client asks
    response = client.get("/api/v1/debarments/")

    # then the two debarred suppliers, most recent first, with exactly the public fields
    assert response.status_code == 200
    assert response.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "results": [
            {
                "legal_name": "Anatolia Medical Ltd.",
                "legal_name_fa": "",
                "registration_number": "222",
                "country": "TR",
                "reason": "Forged bank guarantee",
                "reason_fa": "",
                "debarred_from": "2026-04-05",
                "debarred_until": "2028-04-05",
            },
            {
                "legal_name": "Golestan Trading Co.",
                "legal_name_fa": "شرکت بازرگانی گلستان",
                "registration_number": "111",
                "country": "IR",
                "reason": "Collusive bidding in tender T-17",
                "reason_fa": "",
                "debarred_from": "2026-03-01",
                "debarred_until": "2027-03-01",
            },
        ],
    }


def test_the_api_list_is_paginated(client, debarred_and_not):
    response = client.get("/api/v1/debarments/", {"page_size": 1, "page": 2})

    assert response.json()["count"] == 2
    assert [r["registration_number"] for r in response.json()["results"]] == ["111"]
    assert response.json()["next"] is None
    assert response.json()["previous"].endswith("/api/v1/debarments/?page_size=1")


def test_anyone_reads_the_debarment_page(client, debarred_and_not):
    # when
    response = client.get("/debarments/")

    # then
    assert response.status_code == 200
    rows = [row["supplier"].registration_number for row in response.context["rows"]]
    assert rows == ["222", "111"]
    page = response.content.decode()
    for text in (
        "2 debarred suppliers",
        "Golestan Trading Co.",
        "شرکت بازرگانی گلستان",
        "Collusive bidding in tender T-17",
        "1 March 2026",
        "1 March 2027",
        "Anatolia Medical Ltd.",
        "Türkiye",
        "Forged bank guarantee",
        "5 April 2026",
        "5 April 2028",
    ):
        assert text in page, text
    assert "Clean Co." not in page
    assert "Suspended Co." not in page


def test_the_debarment_page_in_persian(client, debarred_and_not):
    # when
    response = client.get("/debarments/", HTTP_ACCEPT_LANGUAGE="fa")

    # then: Jalali dates in Persian digits (2026-03-01 is 10 Esfand 1404), the Persian name first
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page
    # isolated without forcing left-to-right, which would move the day to the end
    assert '<bdi class="text-nowrap">۱۰ اسفند ۱۴۰۴</bdi>' in page
    assert '<bdi class="text-nowrap">۱۰ اسفند ۱۴۰۵</bdi>' in page
    assert '<bdi class="text-nowrap">۱۶ فروردین ۱۴۰۵</bdi>' in page
    # registration numbers as the company wrote them
    assert '<bdi dir="ltr">111</bdi>' in page
    assert page.index("شرکت بازرگانی گلستان") < page.index("Golestan Trading Co.")


def test_an_ended_debarment_leaves_the_list(client, debarred_and_not):
    # given
    first, _second = debarred_and_not
    services.supplier_end_debarment(actor=oversight_admin(), supplier=first, reason="Appeal")

    # when
    api = client.get("/api/v1/debarments/")
    page = client.get("/debarments/")

    # then
    assert [r["registration_number"] for r in api.json()["results"]] == ["222"]
    assert "Golestan Trading Co." not in page.content.decode()


def test_an_empty_list_says_so(client):
    response = client.get("/debarments/")

    assert response.status_code == 200
    assert "No supplier is debarred at present." in response.content.decode()
    assert client.get("/api/v1/debarments/").json()["count"] == 0


def test_the_api_is_documented_as_public(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/debarments/"]["get"]
    assert operation["operationId"] == "debarments_list"
    # no security requirement, unlike the officers' endpoints
    assert "security" not in operation
    assert "security" not in schema
    assert schema["paths"]["/api/v1/supplier-review/"]["get"]["security"] == [
        {"apiToken": []},
        {"cookieAuth": []},
    ]
    properties = schema["components"]["schemas"]["Debarment"]["properties"]
    assert sorted(properties) == [
        "country",
        "debarred_from",
        "debarred_until",
        "legal_name",
        "legal_name_fa",
        "reason",
        "reason_fa",
        "registration_number",
    ]


def test_a_reason_written_in_persian_is_kept_as_persian_and_marked_for_english_readers(client):
    # given a verified supplier
    supplier, _admin, _reviewer = supplier_in_state("verified", registration_number="555")

    # when the oversight body debars it with a reason written in Persian
    with frozen_at(datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)):
        services.supplier_debar(
            actor=oversight_admin(),
            supplier=supplier,
            reason="تبانی در مناقصه",
            until=datetime.date(2027, 3, 1),
        )

    # then it is the Persian variant, read as it is in Persian and marked in English
    supplier.refresh_from_db()
    assert (supplier.debarment_reason, supplier.debarment_reason_fa) == ("", "تبانی در مناقصه")
    assert client.get("/api/v1/debarments/").json()["results"][0]["reason_fa"] == (
        "تبانی در مناقصه"
    )
    persian = client.get("/debarments/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = client.get("/debarments/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td><bdi>تبانی در مناقصه</bdi></td>" in persian
    assert (
        '<td><bdi><span lang="fa" dir="rtl">تبانی در مناقصه</span> '
        '<small class="lang-marker">(in Persian)</small></bdi></td>'
    ) in english
