"""Template filters for dates and numbers in the active language.

With Persian active, dates are in the Jalali calendar and every digit is a
Persian digit; with English, Gregorian and Latin digits. Times are shown in
the platform's time zone (TIME_ZONE).
"""

import datetime

import jdatetime
from django import template
from django.utils import formats, timezone, translation

register = template.Library()

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def is_persian() -> bool:
    return (translation.get_language() or "").startswith("fa")


@register.filter
def persian_digits(value):
    """Render digits as Persian digits when Persian is active."""
    text = str(value)
    return text.translate(PERSIAN_DIGITS) if is_persian() else text


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def localdate(value):
    """A date (or the date of a datetime) in the active language's calendar."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if is_persian():
        jalali = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
        return jalali.strftime("%d %B %Y").translate(PERSIAN_DIGITS)
    return formats.date_format(value, "j F Y")


@register.filter
def localdatetime(value):
    """A moment in the platform's time zone, in the active language's calendar."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if is_persian():
        jalali = jdatetime.datetime.fromgregorian(datetime=value, locale="fa_IR")
        return jalali.strftime("%d %B %Y، %H:%M").translate(PERSIAN_DIGITS)
    return formats.date_format(value, "j F Y, H:i")


@register.filter
def localnumber(value):
    """A number with grouping, in the active language's digits."""
    if value in (None, ""):
        return ""
    return persian_digits(formats.number_format(value, use_l10n=True, force_grouping=True))
