# ruff: noqa: RUF001 -- Persian digits are the point of these tests.
"""The auditor filters the trail by moments typed in the Jalali calendar; the API stays ISO 8601."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import Role
from tests.factories import login, make_member

ROWS = re.compile(r'<tr id="event-(\d+)">')


def _rows(response) -> list[int]:
    return [int(seq) for seq in ROWS.findall(response.content.decode())]


@pytest.fixture
def persian_auditor(client):
    login(client, make_member(Role.AUDITOR))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    return client


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The events were recorded at 10:00, 10:01 … 10:04 Tehran time on 1 Farvardin 1405.
        pytest.param({"from": "۱۴۰۵/۰۱/۰۱ ۱۰:۰۱", "to": "۱۴۰۵/۰۱/۰۱ ۱۰:۰۳"}, [3, 2], id="persian"),
        pytest.param({"from": "1405-01-01 10:03"}, [5, 4], id="latin-digits"),
        pytest.param({"to": "۱۴۰۵/۰۱/۰۱"}, [], id="a-day-is-its-midnight"),
        pytest.param({"from": "۱۴۰۵/۰۱/۰۲"}, [], id="the-next-day"),
    ],
)
def test_in_persian_the_trail_is_filtered_by_jalali_moments_in_tehran_time(
    trail, persian_auditor, query, expected
):
    response = persian_auditor.get(reverse("audit:events"), query)

    assert response.status_code == 200
    assert _rows(response) == expected


def test_in_persian_the_filter_shows_back_the_moment_and_its_format(trail, persian_auditor):
    response = persian_auditor.get(reverse("audit:events"), {"from": "1405/01/01 10:01"})

    html = response.content.decode()
    assert 'type="text" name="from" value="1405/01/01 10:01"' in html
    assert "گاه‌شمار خورشیدی، مانند ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰." in html


def test_in_persian_a_wrong_moment_is_quoted_back_and_lists_nothing(trail, persian_auditor):
    response = persian_auditor.get(reverse("audit:events"), {"from": "۱۴۰۵/۱۲/۳۰ ۱۰:۰۰"})

    assert response.status_code == 400
    assert _rows(response) == []
    assert "«۱۴۰۵/۱۲/۳۰ ۱۰:۰۰» در گاه‌شمار خورشیدی تاریخ و ساعت نیست." in response.content.decode()


def test_the_api_reads_iso_8601_whatever_the_language(trail, client):
    login(client, make_member(Role.AUDITOR))

    response = client.get(
        "/api/v1/audit/events/",
        {"from": "2026-03-21T06:31:00Z", "to": "2026-03-21T06:33:00Z"},
        HTTP_ACCEPT_LANGUAGE="fa",
    )

    assert response.status_code == 200
    assert [event["seq"] for event in response.json()["results"]] == [2, 3]
