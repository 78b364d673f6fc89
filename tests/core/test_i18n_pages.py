# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""Pages, dates and numbers in English and in Persian (Jalali calendar, Persian digits)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

pytestmark = pytest.mark.django_db

FILTERS = Template(
    "{% load panjere %}{{ day|localdate }}|{{ moment|localdatetime }}|"
    "{{ moment|localdate }}|{{ amount|localnumber }}|{{ count|localnumber }}"
)
VALUES = {
    "day": datetime.date(2026, 3, 21),
    # 10:30 UTC is 14:00 in Tehran (UTC+03:30).
    "moment": datetime.datetime(2026, 3, 21, 10, 30, tzinfo=ZoneInfo("UTC")),
    "amount": Decimal("1234567.50"),
    "count": 1250,
}


def test_persian_page_from_the_language_cookie(client):
    # given a browser whose language cookie says Persian
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    # when it opens the home page
    response = client.get("/")

    # then the page is right-to-left, uses the RTL Bootstrap build and speaks Persian
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in html
    assert "vendor/bootstrap/bootstrap.min.css" not in html
    assert "<title>پنجرهٔ واحد خرید عمومی · پنجره</title>" in html
    assert "چه کسانی از پنجره استفاده می‌کنند" in html
    assert response.headers["Content-Language"] == "fa"


def test_persian_page_from_the_browser_language(client):
    # given a browser that asks for Persian and has no cookie
    # when it opens the home page
    response = client.get("/", headers={"accept-language": "fa-IR,fa;q=0.9,en;q=0.5"})

    # then the page is Persian and right-to-left
    html = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "vendor/bootstrap/bootstrap.rtl.min.css" in html
    assert "رفتن به محتوای اصلی" in html


def test_english_page_is_left_to_right(client):
    # given a browser that asks for English
    # when it opens the home page
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})

    # then the page is English, left-to-right, with the LTR Bootstrap build
    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "vendor/bootstrap/bootstrap.min.css" in html
    assert "bootstrap.rtl.min.css" not in html
    assert "<title>One window for public procurement · Panjere</title>" in html


def test_dates_and_numbers_in_persian_are_jalali_with_persian_digits():
    # given Persian as the active language
    with translation.override("fa"):
        # when a date, a moment and numbers go through the filters
        text = FILTERS.render(Context(VALUES))

    # then the calendar is Jalali, the digits and separators Persian
    assert text == "۱ فروردین ۱۴۰۵|۱ فروردین ۱۴۰۵، ۱۴:۰۰|۱ فروردین ۱۴۰۵|۱٬۲۳۴٬۵۶۷٫۵۰|۱٬۲۵۰"


def test_dates_and_numbers_in_english_are_gregorian_with_latin_digits():
    # given English as the active language
    with translation.override("en"):
        # when the same values go through the filters
        text = FILTERS.render(Context(VALUES))

    # then the calendar is Gregorian and the digits Latin
    assert text == "21 March 2026|21 March 2026, 14:00|21 March 2026|1,234,567.50|1,250"


def test_the_last_day_of_the_jalali_year():
    # given the day before Nowruz 1405
    with translation.override("fa"):
        # when it is shown
        text = Template("{% load panjere %}{{ day|localdate }}").render(
            Context({"day": datetime.date(2026, 3, 20)})
        )

    # then it is the 29th of Esfand 1404
    assert text == "۲۹ اسفند ۱۴۰۴"


def test_empty_values_render_as_nothing():
    with translation.override("fa"):
        text = Template(
            "{% load panjere %}[{{ none|localdate }}][{{ none|localdatetime }}]"
            "[{{ none|localnumber }}]"
        ).render(Context({"none": None}))
    assert text == "[][][]"
