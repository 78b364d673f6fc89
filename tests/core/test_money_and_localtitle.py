# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The `money` and `localtitle` filters, in English and in Persian."""

from decimal import Decimal
from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

MONEY = Template("{% load panjere %}{{ amount|money:currency }}")
LOCALTITLE = Template("{% load panjere %}{{ lot|localtitle }}")


def _money(language, amount, currency):
    with translation.override(language):
        return MONEY.render(Context({"amount": amount, "currency": currency}))


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


def test_money_in_another_currency_shows_its_code():
    assert _money("en", Decimal("1500"), "EUR") == '<bdi dir="ltr">1,500</bdi> <bdi>EUR</bdi>'
    assert _money("fa", Decimal("1500"), "EUR") == '<bdi dir="ltr">۱٬۵۰۰</bdi> <bdi>EUR</bdi>'


def test_money_without_currency_or_amount():
    assert _money("en", Decimal("0.00"), "") == '<bdi dir="ltr">0.00</bdi>'
    assert _money("fa", None, "IRR") == ""
    assert _money("en", "", "IRR") == ""


def test_money_escapes_the_currency():
    assert _money("en", Decimal("1"), "<b>") == '<bdi dir="ltr">1</bdi> <bdi>&lt;b&gt;</bdi>'


def _title(language, **fields):
    with translation.override(language):
        return LOCALTITLE.render(Context({"lot": SimpleNamespace(**fields)}))


def test_localtitle_is_persian_in_persian_with_english_as_fallback():
    # given a lot with both titles, and one with the English title only
    both = {"title": "Bridges", "title_fa": "پل‌ها"}
    english_only = {"title": "Bridges", "title_fa": ""}

    # when / then
    assert _title("fa", **both) == "پل‌ها"
    assert _title("en", **both) == "Bridges"
    assert _title("fa", **english_only) == "Bridges"
    assert _title("fa", title="Bridges") == "Bridges"
    assert _title("fa", title="<i>", title_fa="") == "&lt;i&gt;"
