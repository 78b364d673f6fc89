"""Template filters for dates, numbers, money and titles in the active language.

With Persian active, dates are in the Jalali calendar and every digit is a
Persian digit; with English, Gregorian and Latin digits. Times are shown in
the platform's time zone (TIME_ZONE). Numbers and money are formatted by
Babel (core.money): grouping and separators from CLDR.
"""

import base64
import datetime
import functools
import hashlib
from decimal import Decimal
from pathlib import Path

import jdatetime
from babel import numbers as babel_numbers
from django import template
from django.utils import formats, timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, ngettext

from core.bilingual import local_text
from core.money import PERSIAN_DIGITS, babel_locale, currency_label, format_amount

register = template.Library()


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
    between thousands and U+066B before the decimals (Babel, locale fa_IR). The
    decimals are the value's own, none added or dropped.
    """
    if value in (None, ""):
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    places = max(0, -number.as_tuple().exponent) if number.is_finite() else 0
    pattern = "#,##0" + ("." + "0" * places if places else "")
    locale = babel_locale()
    text = babel_numbers.format_decimal(
        number, format=pattern, locale=locale, numbering_system="default"
    )
    return text.translate(PERSIAN_DIGITS) if is_persian() else text


FILE_SIZE_UNITS = (
    (1024**3, gettext_lazy("%(size)s GB")),
    (1024**2, gettext_lazy("%(size)s MB")),
    (1024, gettext_lazy("%(size)s kB")),
)


@register.filter
def filesize(value):
    """A number of bytes as people read it: “5.2 MB”, its Persian in Persian digits, “64 bytes”.

    Binary units (1 MB = 1,048,576 bytes, as upload limits are set), one decimal
    where it is not zero, in the active language's words, digits and separators.
    """
    if value in (None, ""):
        return ""
    size = int(value)
    for factor, text in FILE_SIZE_UNITS:
        if size >= factor:
            number = (Decimal(size) / factor).quantize(Decimal("0.1"))
            if number == number.to_integral_value():
                number = number.quantize(Decimal("1"))
            return str(text) % {"size": localnumber(number)}
    return ngettext("%(size)s byte", "%(size)s bytes", size) % {"size": localnumber(size)}


@register.filter
def money(value):
    """A `core.money.Money` in the active language: `{{ tender.estimated_value|money }}`.

    The amount with exactly its currency's minor units (Babel: `1,250.00` in
    English; Persian digits and separators in Persian), isolated left-to-right
    as every amount in Persian text is, then the currency: its ISO 4217 code in
    English, CLDR's Persian symbol in Persian (ریال for IRR).
    """
    if value in (None, ""):
        return ""
    return format_html(
        '<bdi dir="ltr">{}</bdi> <bdi>{}</bdi>',
        format_amount(value),
        currency_label(value.currency),
    )


@register.filter
def localtitle(obj):
    """`obj`'s title in the reader's language, or marked with its own (core.bilingual)."""
    # As markup: a variable's value that is not a string would be printed as text.
    return mark_safe(local_text(obj, "title").__html__())  # noqa: S308 (escaped there)


@register.filter(name="local")
def local_filter(obj, field):
    """`{{ obj|local:"field" }}`: `obj.field` / `obj.field_fa` as the reader reads it."""
    return mark_safe(local_text(obj, field).__html__())  # noqa: S308 (escaped there)


@register.simple_tag(name="local")
def local_tag(obj, field):
    """`{% local obj "field" [as text] %}`: the variant the reader reads (core.bilingual.LocalText).

    Rendered, it is the escaped text, marked with its language (`lang`, `dir` and
    "(in English)" / "(in Persian)") when it is not the reader's; kept `as` a
    variable, it offers `.text`, `.lang`, `.dir`, `.is_fallback` and `.marker`.
    """
    return local_text(obj, field)


@register.simple_tag(takes_context=True)
def form_token(context):
    """The hidden one-time token of a form that creates or decides something (core.formtokens)."""
    from core import formtokens

    request = context.get("request")
    if request is None:
        return ""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', formtokens.FIELD, formtokens.issue(request)
    )


@functools.cache
def _subresource_integrity(path: str) -> str:
    """`sha384-<base64>` of a static file's bytes (read once per process)."""
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    if found is None:
        raise template.TemplateSyntaxError(f"No static file {path!r}")
    digest = hashlib.sha384(Path(found).read_bytes()).digest()
    return "sha384-" + base64.b64encode(digest).decode("ascii")


@register.simple_tag
def script_with_integrity(path: str):
    """A deferred `<script>` for a static file, with its Subresource Integrity hash.

    The browser refuses the file if its bytes are not the ones hashed here
    (the static files the server was started with), on top of the CSP's
    `script-src 'self'`.
    """
    from django.templatetags.static import static

    return format_html(
        '<script src="{}" integrity="{}" defer></script>',
        static(path),
        _subresource_integrity(path),
    )
