# ruff: noqa: RUF001 -- Persian digits are the point of these tests.
"""Dates typed in the Jalali calendar: read exactly, written back, refused with a form error."""

import datetime

import pytest
from django import forms
from django.utils import translation

from core import jalali
from core.forms import LocalisedDateField, LocalisedDateTimeField

TEHRAN = datetime.timezone(datetime.timedelta(hours=3, minutes=30))


class DatesForm(forms.Form):
    day = LocalisedDateField(label="Day")
    moment = LocalisedDateTimeField(label="Moment", required=False)


# --- reading and writing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1405/09/12", datetime.date(2026, 12, 3)),
        ("۱۴۰۵/۰۹/۱۲", datetime.date(2026, 12, 3)),
        ("١٤٠٥/٩/١٢", datetime.date(2026, 12, 3)),  # Arabic-Indic digits
        ("1405-9-12", datetime.date(2026, 12, 3)),
        (" 1405.09.12 ", datetime.date(2026, 12, 3)),
        ("۱۴۰۵٫۰۹٫۱۲", datetime.date(2026, 12, 3)),  # a Persian number pad's separator
        ("1403/12/30", datetime.date(2025, 3, 20)),  # Esfand 30: 1403 is a leap year
        ("1404/01/01", datetime.date(2025, 3, 21)),
        ("1403/01/01", datetime.date(2024, 3, 20)),
    ],
)
def test_a_jalali_date_is_read_as_its_gregorian_day(text, expected):
    assert jalali.parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1405/09/12 14:30", datetime.datetime(2026, 12, 3, 14, 30)),
        ("۱۴۰۵/۰۹/۱۲ ۱۴:۳۰", datetime.datetime(2026, 12, 3, 14, 30)),
        ("۱۴۰۵/۰۹/۱۲، ۱۴:۳۰", datetime.datetime(2026, 12, 3, 14, 30)),
        ("1405-09-12T14:30:15", datetime.datetime(2026, 12, 3, 14, 30, 15)),
        ("1405/09/12", datetime.datetime(2026, 12, 3, 0, 0)),
    ],
)
def test_a_jalali_moment_is_read_as_its_gregorian_moment(text, expected):
    assert jalali.parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text",
    ["1404/12/30", "1405/13/01", "1405/00/10", "1405/07/31", "1405/09/12 24:00", "12/09/1405x"],
)
def test_what_is_not_a_jalali_date_is_refused(text):
    with pytest.raises(jalali.NotAJalaliDate):
        jalali.parse_datetime(text)


def test_every_day_of_four_jalali_years_goes_there_and_back():
    day = datetime.date(2024, 3, 20)  # 1403/01/01
    while day < datetime.date(2028, 3, 20):
        assert jalali.parse_date(jalali.format_date(day)) == day
        assert jalali.parse_date(jalali.format_date(day, persian=False)) == day
        day += datetime.timedelta(days=1)


def test_dates_are_written_with_persian_digits_or_latin_ones():
    moment = datetime.datetime(2026, 12, 3, 14, 30)

    assert jalali.format_date(moment.date()) == "۱۴۰۵/۰۹/۱۲"
    assert jalali.format_datetime(moment) == "۱۴۰۵/۰۹/۱۲ ۱۴:۳۰"
    assert jalali.format_datetime(moment, persian=False) == "1405/09/12 14:30"
    assert jalali.format_date(datetime.date(2025, 3, 20), persian=False) == "1403/12/30"


# --- the fields, in Persian ----------------------------------------------------------------


def test_in_persian_a_moment_typed_is_tehran_time_stored_as_its_exact_instant():
    with translation.override("fa"):
        form = DatesForm({"day": "۱۴۰۳/۱۲/۳۰", "moment": "۱۴۰۵/۰۹/۱۲ ۱۴:۳۰"})

        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2025, 3, 20)
    assert form.cleaned_data["moment"] == datetime.datetime(2026, 12, 3, 11, 0, tzinfo=datetime.UTC)
    assert form.cleaned_data["moment"].utcoffset() == datetime.timedelta(hours=3, minutes=30)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"day": "۱۴۰۵/۱۳/۰۱"},
            {
                "day": [
                    "«۱۴۰۵/۱۳/۰۱» در گاه‌شمار خورشیدی تاریخ نیست. آن را به شکل ۱۴۰۵/۰۹/۱۲ بنویسید."
                ]
            },
        ),
        (
            {"day": "1404/12/30"},
            {
                "day": [
                    "«۱۴۰۴/۱۲/۳۰» در گاه‌شمار خورشیدی تاریخ نیست. آن را به شکل ۱۴۰۵/۰۹/۱۲ بنویسید."
                ]
            },
        ),
        (
            {"day": "1405/09/12", "moment": "1405/09/12 25:00"},
            {
                "moment": [
                    "«۱۴۰۵/۰۹/۱۲ ۲۵:۰۰» در گاه‌شمار خورشیدی تاریخ و ساعت نیست. "
                    "آن را به شکل ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰ بنویسید."
                ]
            },
        ),
        (
            {"day": "0001/01/01", "moment": "9999/01/01 10:00"},
            {
                "day": ["تاریخی میان ۱۲۷۸/۱۰/۱۱ و ۲۳۷۸/۱۰/۱۰ وارد کنید."],
                "moment": ["تاریخی میان ۱۲۷۸/۱۰/۱۱ و ۲۳۷۸/۱۰/۱۰ وارد کنید."],
            },
        ),
    ],
)
def test_in_persian_a_wrong_date_is_quoted_back_in_the_persian_calendar(data, errors):
    with translation.override("fa"):
        form = DatesForm(data)

        assert not form.is_valid()
        assert form.errors == errors


def test_in_persian_the_input_is_text_with_its_format_and_the_initial_value_in_jalali():
    form = DatesForm(
        initial={
            "day": datetime.date(2025, 3, 20),
            "moment": datetime.datetime(2026, 12, 3, 11, 0, tzinfo=datetime.UTC),
        }
    )
    with translation.override("fa"):
        day, moment = str(form["day"]), str(form["moment"])
        hint = str(form["moment"].help_text)

    assert day == (
        '<input type="text" name="day" value="۱۴۰۳/۱۲/۳۰" aria-describedby="id_day_helptext" '
        'autocomplete="off" class="form-control" dir="ltr" id="id_day" inputmode="decimal" '
        "required>"
    )
    assert 'type="text" name="moment" value="۱۴۰۵/۰۹/۱۲ ۱۴:۳۰"' in moment
    assert hint == "گاه‌شمار خورشیدی، مانند ۱۴۰۵/۰۹/۱۲ ۱۴:۳۰."


def test_in_persian_a_typed_value_is_shown_back_as_typed():
    with translation.override("fa"):
        form = DatesForm({"day": "۱۴۰۵/۱۳/۰۱"})
        html = str(form["day"])

    assert 'value="۱۴۰۵/۱۳/۰۱"' in html
    assert 'aria-invalid="true"' in html


# --- the fields, in English ----------------------------------------------------------------


def test_in_english_dates_stay_gregorian_with_the_browsers_inputs():
    form = DatesForm(
        initial={
            "day": datetime.date(2025, 3, 20),
            "moment": datetime.datetime(2026, 12, 3, 11, 0, tzinfo=datetime.UTC),
        }
    )
    with translation.override("en"):
        day, moment = str(form["day"]), str(form["moment"])
        bound = DatesForm({"day": "2025-03-20", "moment": "2026-12-03T14:30"})
        assert bound.is_valid(), bound.errors
        refused = DatesForm({"day": "1405/09/12"})
        assert not refused.is_valid()

    assert 'type="date" name="day" value="2025-03-20"' in day
    assert 'type="datetime-local" name="moment" value="2026-12-03T14:30"' in moment
    assert bound.cleaned_data["moment"] == datetime.datetime(
        2026, 12, 3, 11, 0, tzinfo=datetime.UTC
    )
    assert refused.errors == {"day": ["Enter a valid date."]}


def test_in_english_years_out_of_range_are_a_form_error_in_gregorian_years():
    with translation.override("en"):
        form = DatesForm({"day": "0001-01-01", "moment": "9999-12-31T23:59"})

        assert not form.is_valid()
        assert form.errors == {
            "day": ["Enter a date between the years 1900 and 2999."],
            "moment": ["Enter a date between the years 1900 and 2999."],
        }


def test_a_deadline_in_a_message_is_written_as_the_field_wants_it():
    moment = datetime.datetime(2029, 7, 1, 9, 0, tzinfo=datetime.UTC)

    with translation.override("fa"):
        persian = jalali.as_typed(moment)
    with translation.override("en"):
        english = jalali.as_typed(moment)

    assert (persian, english) == ("۱۴۰۸/۰۴/۱۱ ۱۲:۳۰", "2029-07-01 12:30")
