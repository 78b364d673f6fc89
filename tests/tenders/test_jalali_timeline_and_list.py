# ruff: noqa: RUF001 -- Persian digits are the point of these tests.
"""In Persian, the buyer types the timeline in Jalali (Tehran time); the list filters by it."""

import pytest
from django.conf import settings

from tenders.models import Tender
from tests.factories import login

from . import test_public_list
from .factories import CLARIFICATION_DEADLINE, OPENING_AT, SUBMISSION_DEADLINE, buyer_team
from .test_buyer_prepare_pages import _fill_two_lot_tender, _url
from .test_public_list import URL, references

pytestmark = pytest.mark.django_db

tenders = test_public_list.tenders  # the public list's three tenders, a draft and one waiting


@pytest.fixture
def persian_officer(client):
    team = buyer_team()
    login(client, team.officer)
    tender = _fill_two_lot_tender(client, team)
    Tender.objects.filter(pk=tender.pk).update(
        clarification_deadline=None, submission_deadline=None, opening_at=None
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    return client, tender


def test_a_timeline_typed_in_jalali_stores_the_exact_instants(persian_officer):
    client, tender = persian_officer

    # when the officer types Tehran times in the Persian calendar, in Persian and Latin digits
    response = client.post(
        _url("step_timeline", tender.pk),
        {
            "clarification_deadline": "۱۴۰۸/۰۴/۰۱ ۱۲:۳۰",
            "submission_deadline": "1408/04/16 12:30",
            "opening_at": "۱۴۰۸-۰۴-۱۶ ۱۳:۳۰",
        },
    )

    # then the instants are exactly those (09:00 UTC is 12:30 in Tehran)
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.clarification_deadline == CLARIFICATION_DEADLINE
    assert tender.submission_deadline == SUBMISSION_DEADLINE
    assert tender.opening_at == OPENING_AT
    # and the step shows them back in Jalali, with Persian digits
    html = client.get(_url("step_timeline", tender.pk)).content.decode()
    assert 'name="clarification_deadline" value="۱۴۰۸/۰۴/۰۱ ۱۲:۳۰"' in html
    assert 'name="submission_deadline" value="۱۴۰۸/۰۴/۱۶ ۱۲:۳۰"' in html
    assert 'name="opening_at" value="۱۴۰۸/۰۴/۱۶ ۱۳:۳۰"' in html
    assert "گاه‌شمار خورشیدی، مانند ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰." in html


def test_a_wrong_jalali_date_is_quoted_back_and_nothing_is_saved(persian_officer, nothing_written):
    client, tender = persian_officer

    with nothing_written():
        response = client.post(
            _url("step_timeline", tender.pk),
            {
                "clarification_deadline": "۱۴۰۸/۰۴/۰۱ ۱۲:۳۰",
                "submission_deadline": "۱۴۰۷/۱۲/۳۰ ۱۲:۳۰",  # 1407 is not a leap year
                "opening_at": "۳۰۰۰۰/۰۴/۱۶ ۱۳:۳۰",
            },
        )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "submission_deadline": [
            "«۱۴۰۷/۱۲/۳۰ ۱۲:۳۰» در گاه‌شمار خورشیدی تاریخ و ساعت نیست. "
            "آن را به شکل ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰ بنویسید."
        ],
        "opening_at": [
            "«۳۰۰۰۰/۰۴/۱۶ ۱۳:۳۰» در گاه‌شمار خورشیدی تاریخ و ساعت نیست. "
            "آن را به شکل ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰ بنویسید."
        ],
    }
    html = response.content.decode()
    assert 'value="۱۴۰۷/۱۲/۳۰ ۱۲:۳۰"' in html


def test_a_year_out_of_range_is_a_form_error_in_jalali_years(persian_officer, nothing_written):
    client, tender = persian_officer

    with nothing_written():
        response = client.post(
            _url("step_timeline", tender.pk),
            {
                "clarification_deadline": "0001/01/01 00:00",
                "submission_deadline": "2999/01/01 10:00",
                "opening_at": "",
            },
        )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "clarification_deadline": ["تاریخی میان ۱۲۷۸/۱۰/۱۱ و ۲۳۷۸/۱۰/۱۰ وارد کنید."],
        "submission_deadline": ["تاریخی میان ۱۲۷۸/۱۰/۱۱ و ۲۳۷۸/۱۰/۱۰ وارد کنید."],
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # The bridge's deadline is 2029-07-06 (16 Tir 1408), the road's 2029-07-11 (21 Tir).
        ({"deadline_from": "۱۴۰۸/۰۴/۱۶", "deadline_to": "۱۴۰۸/۰۴/۱۶"}, ["bridge"]),
        ({"deadline_from": "1408/04/17"}, ["road"]),
        ({"deadline_to": "۱۴۰۸/۰۴/۱۵"}, ["laptops"]),
    ],
)
def test_in_persian_the_public_list_filters_deadlines_by_jalali_days(
    client, tenders, params, expected
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    response = client.get(URL, params)

    assert response.status_code == 200
    assert references(response) == [tenders[name].reference for name in expected]


def test_in_persian_a_wrong_deadline_filter_says_so(client, tenders):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    response = client.get(URL, {"deadline_from": "۱۴۰۸/۱۳/۰۱"})

    assert "«۱۴۰۸/۱۳/۰۱» در گاه‌شمار خورشیدی تاریخ نیست." in response.content.decode()
