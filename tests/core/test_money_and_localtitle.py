# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The `money` and `localtitle` filters, in English and in Persian."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from core.money import Money

MONEY = Template("{% load panjere %}{{ amount|money }}")
LOCALTITLE = Template("{% load panjere %}{{ lot|localtitle }}")


def _money(language, amount, currency=None):
    value = Money(amount, currency) if currency else amount
    with translation.override(language):
        return MONEY.render(Context({"amount": value}))


def test_money_in_english_groups_with_commas_and_shows_the_code():
    # given / when / then
    assert _money("en", Decimal("1234567.50"), "IRR") == (
        '<bdi dir="ltr">1,234,567.50</bdi> <bdi>IRR</bdi>'
    )
    assert _money("en", Decimal("125000000000.00"), "IRR") == (
        '<bdi dir="ltr">125,000,000,000.00</bdi> <bdi>IRR</bdi>'
    )


def test_money_in_persian_has_persian_digits_and_separators_and_the_rial():
    # given / when / then: U+066C between thousands, U+066B before the decimals
    assert _money("fa", Decimal("1234567.50"), "IRR") == (
        '<bdi dir="ltr">۱\u066c۲۳۴\u066c۵۶۷\u066b۵۰</bdi> <bdi>ریال</bdi>'
    )
    assert _money("fa", Decimal("5000000.00"), "IRR") == (
        '<bdi dir="ltr">۵٬۰۰۰٬۰۰۰٫۰۰</bdi> <bdi>ریال</bdi>'
    )
    assert "," not in _money("fa", Decimal("1234567.50"), "IRR")


def test_money_shows_exactly_the_minor_units_of_its_currency():
    # given amounts in currencies with 2, 3 and 0 minor units (ISO 4217)
    # when / then: as many decimals as the currency has, whatever the amount was written with
    assert _money("en", Decimal("1500"), "EUR") == '<bdi dir="ltr">1,500.00</bdi> <bdi>EUR</bdi>'
    assert _money("en", "1500.5", "KWD") == '<bdi dir="ltr">1,500.500</bdi> <bdi>KWD</bdi>'
    assert _money("en", "1500", "JPY") == '<bdi dir="ltr">1,500</bdi> <bdi>JPY</bdi>'
    # IRR has 2 in ISO 4217, though CLDR (and so Babel's default) writes none
    assert _money("en", "1500", "IRR") == '<bdi dir="ltr">1,500.00</bdi> <bdi>IRR</bdi>'


def test_money_in_persian_names_other_currencies_by_their_persian_symbol():
    assert _money("fa", Decimal("1500"), "EUR") == '<bdi dir="ltr">۱٬۵۰۰٫۰۰</bdi> <bdi>€</bdi>'
    assert _money("fa", Decimal("1500"), "USD") == '<bdi dir="ltr">۱٬۵۰۰٫۰۰</bdi> <bdi>$</bdi>'


def test_money_is_never_rounded():
    # given an amount with more decimals than its currency (never stored, still shown whole)
    assert _money("en", "0.125", "EUR") == '<bdi dir="ltr">0.125</bdi> <bdi>EUR</bdi>'


def test_money_without_amount():
    assert _money("fa", None) == ""
    assert _money("en", "") == ""


def test_localnumber_keeps_the_decimals_it_is_given():
    template = Template("{% load panjere %}{{ n|localnumber }}")

    def render(language, n):
        with translation.override(language):
            return template.render(Context({"n": n}))

    assert render("en", Decimal("9500.500")) == "9,500.500"
    assert render("en", 1234567) == "1,234,567"
    assert render("fa", Decimal("9500.5")) == "۹٬۵۰۰٫۵"
    assert render("fa", 3) == "۳"


def _title(language, **fields):
    with translation.override(language):
        return LOCALTITLE.render(Context({"lot": SimpleNamespace(**fields)}))


def test_localtitle_is_persian_in_persian_with_english_as_a_marked_fallback():
    # given a lot with both titles, and one with the English title only
    both = {"title": "Bridges", "title_fa": "پل‌ها"}
    english_only = {"title": "Bridges", "title_fa": ""}
    marked = '<span lang="en" dir="ltr">{}</span> <small class="lang-marker">(به انگلیسی)</small>'

    # when / then
    assert _title("fa", **both) == "پل‌ها"
    assert _title("en", **both) == "Bridges"
    assert _title("fa", **english_only) == marked.format("Bridges")
    assert _title("fa", title="Bridges") == marked.format("Bridges")
    assert _title("fa", title="<i>", title_fa="") == marked.format("&lt;i&gt;")
    assert _title("en", title="", title_fa="پل‌ها") == (
        '<span lang="fa" dir="rtl">پل‌ها</span> <small class="lang-marker">(in Persian)</small>'
    )
