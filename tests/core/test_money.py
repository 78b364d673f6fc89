"""core.money: an exact amount with its currency, its minor units from ISO 4217."""

from decimal import Decimal

import pytest
from django.core import checks
from django.utils import translation

from core.checks import currencies_known
from core.exactjson import ExactJSONDecoder, ExactJSONEncoder
from core.exceptions import CurrencyMismatch, InvalidAmount, TooManyDecimals, UnknownCurrency
from core.money import (
    Money,
    clean_money,
    format_money,
    minor_units,
    money_from_json,
    money_json,
    ocds_value,
    parse_amount,
    parse_money,
    require_same_currency,
    totals,
)


@pytest.mark.parametrize(
    ("code", "places"), [("IRR", 2), ("EUR", 2), ("USD", 2), ("KWD", 3), ("JPY", 0), ("CLF", 4)]
)
def test_minor_units_come_from_iso_4217(code, places):
    # IRR has 2 in ISO 4217, though CLDR (Babel) writes rials without decimals
    assert minor_units(code) == places


@pytest.mark.parametrize("amount", [1.5, 0.1, True, None, [1]])
def test_money_is_never_made_from_a_float_or_anything_but_text_decimal_or_int(amount):
    with pytest.raises(TypeError):
        Money(amount, "EUR")


def test_amounts_in_two_currencies_are_never_added_or_compared():
    with pytest.raises(TypeError):
        Money("1", "EUR") + Money("1", "USD")
    with pytest.raises(TypeError):
        assert Money("1", "EUR") < Money("2", "USD")
    assert Money("1", "EUR") != Money("1", "USD")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Money("12", "EUR"), "12.00 EUR"),
        (Money("12.5000", "EUR"), "12.50 EUR"),
        (Money("12.125", "KWD"), "12.125 KWD"),
        (Money("12", "JPY"), "12 JPY"),
        (Money("0", "IRR"), "0.00 IRR"),
    ],
)
def test_clean_money_writes_the_currencys_minor_units(settings, value, expected):
    settings.PANJERE_CURRENCIES = ["IRR", "EUR", "KWD", "JPY"]
    assert str(clean_money(value, field="price")) == expected


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        (
            Money("12.125", "EUR"),
            TooManyDecimals,
            "EUR has 2 decimal places: at most 2 digits after the point.",
        ),
        (
            Money("12.1255", "KWD"),
            TooManyDecimals,
            "KWD has 3 decimal places: at most 3 digits after the point.",
        ),
        (Money("12.5", "JPY"), TooManyDecimals, "JPY has no minor unit: give a whole amount."),
        (Money("-0.01", "EUR"), InvalidAmount, "The amount cannot be negative."),
        (Money("1E+16", "EUR"), InvalidAmount, "The amount is too large."),
        (Money("Infinity", "EUR"), InvalidAmount, "Enter a number."),
    ],
)
def test_clean_money_refuses_what_a_column_would_not_keep_exactly(settings, value, error, message):
    settings.PANJERE_CURRENCIES = ["EUR", "KWD", "JPY"]
    with pytest.raises(error) as raised:
        clean_money(value, field="price")
    assert (str(raised.value), raised.value.field) == (message, "price")


def test_clean_money_takes_only_money():
    with pytest.raises(TypeError):
        clean_money(Decimal("12.50"), field="price")


def test_the_api_reads_plain_decimal_text_only():
    assert parse_amount("1250.50", field="x") == Decimal("1250.50")
    assert parse_amount("-3", field="x") == Decimal("-3")
    for text in ("1,250.50", "1e3", "NaN", "", " .5", "۱۲"):
        with pytest.raises(InvalidAmount):
            parse_amount(text, field="x")
    with pytest.raises(TypeError):
        parse_amount(12.5, field="x")


def test_a_form_reads_the_amount_as_the_language_writes_it():
    with translation.override("fa"):
        assert parse_amount("۱٬۲۵۰٫۵۰", field="x", localized=True) == Decimal("1250.50")  # noqa: RUF001
        assert parse_amount("1250.5", field="x", localized=True) == Decimal("1250.5")
    with translation.override("en"):
        assert parse_amount("1,250.50", field="x", localized=True) == Decimal("1250.50")
        with pytest.raises(InvalidAmount):
            parse_amount("12,50", field="x", localized=True)


def test_an_unknown_currency_is_refused_by_name():
    with pytest.raises(UnknownCurrency) as raised:
        parse_money("1", "XYZ", field="price")
    assert (raised.value.code, raised.value.field) == ("money.unknown_currency", "price")


def test_json_shapes_hold_the_amount_as_text_and_ocds_as_an_exact_number():
    value = Money("9876543210123.4", "IRR")
    assert money_json(value) == {"amount": "9876543210123.40", "currency": "IRR"}
    assert money_from_json(money_json(value)) == value
    assert ocds_value(value) == {"amount": Decimal("9876543210123.40"), "currency": "IRR"}
    text = ExactJSONEncoder(separators=(",", ":")).encode({"value": ocds_value(value)})
    assert text == '{"value":{"amount":9876543210123.40,"currency":"IRR"}}'
    assert ExactJSONDecoder().decode(text)["value"]["amount"] == Decimal("9876543210123.40")


def test_sums_keep_each_currency_apart():
    values = [Money("1.10", "EUR"), Money("2", "IRR"), Money("3.20", "EUR")]
    assert totals(values) == {"EUR": Money("4.30", "EUR"), "IRR": Money("2", "IRR")}
    require_same_currency(values[::2], field="lots")
    with pytest.raises(CurrencyMismatch) as raised:
        require_same_currency(values, field="lots")
    assert raised.value.params == {"currencies": ["EUR", "IRR"]}


def test_plain_text_in_both_languages():
    assert format_money(Money("1234567.5", "IRR"), "en") == "1,234,567.50 IRR"
    assert format_money(Money("1234567.5", "IRR"), "fa") == "۱٬۲۳۴٬۵۶۷٫۵۰ ریال"  # noqa: RUF001
    assert format_money(Money("1500", "KWD"), "en") == "1,500.000 KWD"
    assert format_money(None) == ""


def test_the_accepted_currencies_are_checked_at_start_up(settings):
    settings.PANJERE_CURRENCIES = ["IRR", "EUR"]
    assert currencies_known(None) == []
    settings.PANJERE_CURRENCIES = ["IRR", "RIAL"]
    assert [(e.id, e.msg) for e in currencies_known(None)] == [
        ("core.E003", "PANJERE_CURRENCIES: 'RIAL' is not an ISO 4217 code.")
    ]
    settings.PANJERE_CURRENCIES = []
    assert [e.id for e in currencies_known(None)] == ["core.E003"]


def test_every_money_field_has_its_two_columns():
    errors = [e for e in checks.run_checks(tags=[checks.Tags.models]) if e.id == "core.E004"]
    assert errors == []


@pytest.mark.django_db
def test_a_money_field_reads_and_writes_its_two_columns():
    from tenders.models import Lot

    # given
    lot = Lot(estimated_value=Money("12.5", "KWD"), bid_security=Money(3, "JPY"))

    # then
    assert (lot.estimated_value_amount, lot.estimated_value_currency) == (Decimal("12.5"), "KWD")
    assert (lot.bid_security_amount, lot.bid_security_currency) == (3, "JPY")
    lot.estimated_value_amount = Decimal("12.5000")  # as the column gives it back
    assert money_json(lot.estimated_value) == {"amount": "12.500", "currency": "KWD"}
    with pytest.raises(TypeError):
        lot.estimated_value = Decimal("12.5")
