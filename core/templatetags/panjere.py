"""Template filters for dates, numbers, money and titles in the active language.

With Persian active, dates are in the Jalali calendar and every digit is a
Persian digit; with English, Gregorian and Latin digits. Times are shown in
the platform's time zone (TIME_ZONE).
"""

import datetime

import jdatetime
from django import template
from django.utils import formats, numberformat, timezone, translation
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

register = template.Library()

# Currencies with a name of their own in the interface (others show their ISO 4217 code).
CURRENCY_LABELS = {
    "IRR": pgettext_lazy("currency", "IRR"),
}

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Persian writes U+066C between thousands and U+066B before the decimals.
PERSIAN_THOUSAND_SEPARATOR = "\u066c"
PERSIAN_DECIMAL_SEPARATOR = "\u066b"


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


def _jalali_date(value: datetime.date) -> str:
    jalali = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
    # The day without a leading zero, as Persian writes it (1 Farvardin, not 01).
    return f"{jalali.day} {jalali.strftime('%B')} {jalali.year}"


@register.filter
def localdate(value):
    """A date (or the date of a datetime) in the active language's calendar."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if is_persian():
        return _jalali_date(value).translate(PERSIAN_DIGITS)
    return formats.date_format(value, "j F Y")


@register.filter
def localdatetime(value):
    """A moment in the platform's time zone, in the active language's calendar."""
    if value in (None, ""):
        return ""
    value = _local(value)
    if is_persian():
        text = f"{_jalali_date(value.date())}، {value:%H:%M}"
        return text.translate(PERSIAN_DIGITS)
    return formats.date_format(value, "j F Y, H:i")


@register.filter
def localnumber(value):
    """A number grouped by thousands, in the active language's digits and separators.

    English: 1,234,567.5; Persian: the same grouping with Persian digits, U+066C
    between thousands and U+066B before the decimals.
    """
    if value in (None, ""):
        return ""
    if not is_persian():
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    text = numberformat.format(
        value,
        PERSIAN_DECIMAL_SEPARATOR,
        grouping=3,
        thousand_sep=PERSIAN_THOUSAND_SEPARATOR,
        force_grouping=True,
        use_l10n=True,
    )
    return text.translate(PERSIAN_DIGITS)


@register.filter
def money(amount, currency=""):
    """An amount and its currency: `{{ tender.estimated_value|money:tender.currency }}`.

    The amount as `localnumber` writes it, isolated left-to-right (as every amount
    in Persian text is), then the currency's label in the active language (IRR is
    "ریال" in Persian), or its code.
    """
    if amount in (None, ""):
        return ""
    number = localnumber(amount)
    if not currency:
        return format_html('<bdi dir="ltr">{}</bdi>', number)
    label = CURRENCY_LABELS.get(currency, currency)
    return format_html('<bdi dir="ltr">{}</bdi> <bdi>{}</bdi>', number, label)


@register.filter
def localtitle(obj) -> str:
    """`obj.title_fa` when Persian is active and there is one, else `obj.title`."""
    if is_persian() and getattr(obj, "title_fa", ""):
        return obj.title_fa
    return obj.title
