"""Dates written in the Jalali (Persian solar) calendar: read and written as people type them.

A Persian reader types a date as 1405/09/12 (or ۱۴۰۵/۰۹/۱۲, or with "-" or "."
between the parts) and a moment as 1405/09/12 14:30. These functions turn such
text into a Gregorian `datetime.date` or a naive `datetime.datetime` (the form
field places it in the platform's time zone), and back. jdatetime does the
calendar arithmetic, leap years included (Esfand has 30 days in 1403, 29 in 1404).
"""

import datetime
import re

import jdatetime

from .money import PERSIAN_DIGITS

# Persian (U+06F0…) and Arabic-Indic (U+0660…) digits, as a Persian or Arabic keyboard types them.
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")

# Between the parts of a date: "/", "-", "." or the Arabic decimal separator a Persian
# number pad offers (U+066B), or the Arabic date separator (U+060D).
_SEP = r"\s*[/\-.\u066b\u060d]\s*"
_DATE = rf"(?P<year>\d{{1,4}}){_SEP}(?P<month>\d{{1,2}}){_SEP}(?P<day>\d{{1,2}})"
# Between the date and the time: spaces, "T", or a comma (Latin or Persian).
_TIME = (
    r"(?:\s*[T,\u060c]\s*|\s+)"
    r"(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{2})(?:\s*:\s*(?P<second>\d{2}))?"
)
DATE_RE = re.compile(rf"^\s*{_DATE}\s*$")
DATETIME_RE = re.compile(rf"^\s*{_DATE}(?:{_TIME})?\s*$")

DATE_FORMAT = "%Y/%m/%d"
# Far beyond any plausible date (core.validators) and still convertible by jdatetime.
MAX_YEAR = 3000
DATETIME_FORMAT = "%Y/%m/%d %H:%M"


class NotAJalaliDate(ValueError):
    """Not a date of the Jalali calendar: wrong shape, month 13, Esfand 30 in a common year."""


class OutOfRange(ValueError):
    """A Jalali date too far from today for Python to convert (beyond Gregorian year 9999)."""


def latin_digits(text: str) -> str:
    """The text with Persian and Arabic-Indic digits written as Latin digits."""
    return str(text).translate(LATIN_DIGITS)


def _parts(text: str, pattern: re.Pattern) -> dict[str, int]:
    match = pattern.match(latin_digits(text))
    if match is None:
        raise NotAJalaliDate(text)
    return {name: int(value) for name, value in match.groupdict().items() if value is not None}


def _gregorian(year: int, month: int, day: int) -> datetime.date:
    if not 1 <= year <= MAX_YEAR:
        raise OutOfRange(f"{year}/{month}/{day}")
    try:
        jalali = jdatetime.date(year, month, day)
    except ValueError:
        raise NotAJalaliDate(f"{year}/{month}/{day}") from None
    try:
        return jalali.togregorian()
    except (ValueError, OverflowError):
        raise OutOfRange(f"{year}/{month}/{day}") from None


def parse_date(text: str) -> datetime.date:
    """The Gregorian date of a Jalali date written as 1405/09/12 (Persian or Latin digits)."""
    parts = _parts(text, DATE_RE)
    return _gregorian(parts["year"], parts["month"], parts["day"])


def parse_datetime(text: str) -> datetime.datetime:
    """The naive Gregorian moment of a Jalali 1405/09/12 14:30 (midnight if no time)."""
    parts = _parts(text, DATETIME_RE)
    day = _gregorian(parts["year"], parts["month"], parts["day"])
    try:
        clock = datetime.time(parts.get("hour", 0), parts.get("minute", 0), parts.get("second", 0))
    except ValueError:
        raise NotAJalaliDate(text) from None
    return datetime.datetime.combine(day, clock)


def format_date(value: datetime.date, *, persian: bool = True) -> str:
    """A Gregorian date written in Jalali as 1405/09/12 (Persian digits unless `persian=False`)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = jdatetime.date.fromgregorian(date=value).strftime(DATE_FORMAT)
    return text.translate(PERSIAN_DIGITS) if persian else text


def format_datetime(value: datetime.datetime, *, persian: bool = True) -> str:
    """A naive (already local) moment written in Jalali as 1405/09/12 14:30."""
    text = f"{format_date(value.date(), persian=False)} {value:%H:%M}"
    return text.translate(PERSIAN_DIGITS) if persian else text


def as_typed(value: datetime.datetime) -> str:
    """A moment as a date-time field shows it: platform time zone, the active language's calendar.

    1405/09/12 14:30 in Persian digits when Persian is active, 2026-12-03 14:30
    otherwise; for messages that tell a person what to type.
    """
    from django.utils import timezone, translation

    local = timezone.localtime(value) if timezone.is_aware(value) else value
    if (translation.get_language() or "").startswith("fa"):
        return format_datetime(local)
    return f"{local:%Y-%m-%d %H:%M}"
