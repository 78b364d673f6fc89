# ruff: noqa: RUF002  (Persian digits and separators are meant to be Persian)
"""Money: an exact amount with its currency, wherever an amount is stored, shown or sent.

One type, `Money` (py-moneyed's, which refuses to add, subtract or compare
two currencies, and here refuses floats too), and one way to use it in each
room, so that the next amount (a bid price, a fee, a payment, a refund) is
declared like the first:

| where | how |
| --- | --- |
| model | `price_amount = AmountField()`, `price_currency = CurrencyField()`, then |
| | `price = MoneyField()`: the two as one Money |
| saving | `save(update_fields=money_columns(Model, ["price", ...]))` |
| service | `clean_money(value, field="price")`: accepted currency, not negative, exact |
| form | `core.forms.MoneyFormField`: an amount and a currency from `PANJERE_CURRENCIES` |
| API | `core.api.MoneyField`: `{"amount": "12.50", "currency": "EUR"}` |
| audit payload, amendment diff | `money_json(value)` (the same object) |
| page | `{{ bid.price|money }}` (core/templatetags/panjere.py) |
| OCDS | `ocds_value(value)`: `{"amount": <exact JSON number>, "currency": ...}` |

**Minor units come from ISO 4217**, through py-moneyed's table (a currency's
`sub_unit`): EUR and USD 2, KWD 3, JPY 0, and IRR 2, because ISO 4217 gives
the rial two minor units (the dinar) although none circulates. CLDR, and so
Babel, says 0 for IRR (`babel.numbers.get_currency_precision("IRR")`): that
is how many decimals people *write*, not how many the currency *has*.
Validation and storage follow ISO 4217, and so do pages: an amount shows
exactly the minor units its currency has (`1,250.00 IRR`), never rounded to
CLDR's precision, since rounding would show a different amount than the one
stored and published.

**Storage is exact.** Every amount column has scale 4, the most minor units
any ISO 4217 currency has (CLF, UYW), and 16 digits before the point:
PostgreSQL's `numeric` keeps it exactly. SQLite, the demo's database, keeps a
decimal as a binary floating-point number with 15 significant digits; so
that no amount is ever rounded there, `AmountField` refuses to write one with
more (PostgreSQL takes them).

**Pages** format with Babel (`format_decimal` with the locale `fa_IR` or
`en` and the locale's own numbering system): grouping and separators from
CLDR (U+066C between thousands and U+066B before the decimals in Persian).
Babel writes the Persian numbering system's symbols but keeps Latin digits,
so the digits are mapped to CLDR's `arabext` digits (۰–۹) here.
"""

import re
from decimal import Decimal, InvalidOperation

import moneyed
from babel import numbers as babel_numbers
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .exceptions import (
    CurrencyMismatch,
    CurrencyNotAccepted,
    InvalidAmount,
    TooManyDecimals,
    UnknownCurrency,
)

# The most minor units an ISO 4217 currency has (CLF, UYW): every amount column's scale.
AMOUNT_DECIMAL_PLACES = 4
# Digits before the point that an amount may have (as the columns' 18,2 had before).
AMOUNT_INTEGER_DIGITS = 16
AMOUNT_MAX = Decimal(10) ** AMOUNT_INTEGER_DIGITS
# What SQLite keeps of a decimal (a REAL): more significant digits would be rounded.
SQLITE_SIGNIFICANT_DIGITS = 15

# The API's amounts: plain decimal text, no grouping, no exponent.
PLAIN_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")
# Babel's locale for each of the platform's languages.
BABEL_LOCALES = {"en": "en", "fa": "fa_IR"}
# CLDR's `arabext` digits, the Persian numbering system (Babel writes Latin digits).
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
# Digits a form may receive from a Persian or Arabic keyboard, read as Latin digits.
INPUT_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


class Money(moneyed.Money):
    """An exact amount in one currency. Never made from a float.

    `Money("12.50", "EUR")`, `Money(Decimal("12.50"), "EUR")` or `Money(12, "EUR")`.
    """

    def __init__(self, amount=Decimal(0), currency=None):
        if isinstance(amount, float | bool) or not isinstance(amount, Decimal | int | str):
            raise TypeError(
                f"Money takes a Decimal, an int or a string, never a {type(amount).__name__}."
            )
        super().__init__(amount, currency)

    def __str__(self):
        return f"{self.amount:f} {self.currency.code}"


# --- currencies ---------------------------------------------------------------------------


def get_currency(code, *, field: str | None = None) -> moneyed.Currency:
    """The ISO 4217 currency with this code, or `UnknownCurrency`."""
    text = ("" if code is None else str(code)).strip().upper()
    try:
        return moneyed.get_currency(text)
    except moneyed.CurrencyDoesNotExist:
        raise UnknownCurrency(
            _("“%(currency)s” is not an ISO 4217 currency code.") % {"currency": code},
            field=field,
            params={"currency": str(code)},
        ) from None


def minor_units(currency) -> int:
    """How many decimal places the currency has, from ISO 4217: EUR 2, KWD 3, JPY 0, IRR 2."""
    if not isinstance(currency, moneyed.Currency):
        currency = get_currency(currency)
    # ISO 4217 minor units are powers of ten (py-moneyed's sub_unit: 1, 100, 1000, 10000).
    return len(str(currency.sub_unit)) - 1


def accepted_currencies() -> list[str]:
    """The codes the platform accepts (settings.PANJERE_CURRENCIES), in its order."""
    return list(settings.PANJERE_CURRENCIES)


def default_currency() -> str:
    """The currency forms propose: the first accepted one."""
    return accepted_currencies()[0]


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code · name in the active language") for each accepted currency."""
    locale = babel_locale()
    return [
        (code, f"{code} · {babel_numbers.get_currency_name(code, locale=locale)}")
        for code in accepted_currencies()
    ]


# --- values ----------------------------------------------------------------------------------


def _exact(amount: Decimal, currency: moneyed.Currency) -> Decimal:
    """`amount` written with the currency's minor units, if that does not change it."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    try:
        written = amount.quantize(exponent)
    except InvalidOperation:
        return amount
    return written if written == amount else amount


def clean_money(value, *, field: str) -> Money:
    """`value` checked for storing: a Money in an accepted currency, not negative, exact.

    Refuses (a `core.exceptions.InvalidMoney`, tied to `field`) a currency the
    platform does not accept, a negative or too large amount, and more decimal
    places than the currency has. A float, or anything but a Money, is a
    programming error (TypeError): amounts arrive as text and become Money at
    the edge (form, API).
    """
    if not isinstance(value, moneyed.Money):
        raise TypeError(f"{field}: pass a core.money.Money, never a {type(value).__name__}.")
    currency, amount = value.currency, value.amount
    if currency.code not in accepted_currencies():
        raise CurrencyNotAccepted(
            _("The platform accepts amounts in %(accepted)s, not in %(currency)s.")
            % {"accepted": ", ".join(accepted_currencies()), "currency": currency.code},
            field=field,
            params={"currency": currency.code, "accepted": accepted_currencies()},
        )
    if not amount.is_finite():
        raise InvalidAmount(_("Enter a number."), field=field)
    if amount < 0:
        raise InvalidAmount(_("The amount cannot be negative."), field=field)
    if amount >= AMOUNT_MAX:
        raise InvalidAmount(_("The amount is too large."), field=field)
    places = minor_units(currency)
    if _exact(amount, currency).as_tuple().exponent < -places:
        raise TooManyDecimals(
            _too_many_decimals_message(currency.code, places),
            field=field,
            params={"currency": currency.code, "minor_units": places},
        )
    return Money(amount.quantize(Decimal(1).scaleb(-places)), currency)


def _too_many_decimals_message(code: str, places: int) -> str:
    if places == 0:
        return _("%(currency)s has no minor unit: give a whole amount.") % {"currency": code}
    return ngettext(
        "%(currency)s has %(places)s decimal place: at most %(places)s digit after the point.",
        "%(currency)s has %(places)s decimal places: at most %(places)s digits after the point.",
        places,
    ) % {"currency": code, "places": places}


def parse_amount(text, *, field: str, localized: bool = False) -> Decimal:
    """The exact decimal a person or a client wrote, or `InvalidAmount`.

    The API takes plain decimal text ("1250.50"). A form (`localized`) also
    takes the active language's grouping and separators and Persian digits
    ("۱٬۲۵۰٫۵۰"), read by Babel.
    """
    if isinstance(text, float | bool) or not isinstance(text, str):
        raise TypeError(f"{field}: an amount arrives as text, never a {type(text).__name__}.")
    text = text.strip()
    if localized:
        text = text.translate(INPUT_DIGITS)
        locale = babel_locale()
        for numbering_system in ("latn", "default"):
            try:
                return babel_numbers.parse_decimal(
                    text, locale=locale, strict=True, numbering_system=numbering_system
                )
            except babel_numbers.NumberFormatError:
                continue
    elif PLAIN_AMOUNT.fullmatch(text):
        return Decimal(text)
    raise InvalidAmount(
        _("Enter an amount, such as 1250.50."),
        field=field,
        params={"amount": text},
    )


def parse_money(amount, currency, *, field: str, localized: bool = False) -> Money:
    """A Money from what a form or a client sent: text and a currency code."""
    return Money(
        parse_amount(amount, field=field, localized=localized), get_currency(currency, field=field)
    )


def money_json(value: Money | None) -> dict | None:
    """`{"amount": "12.50", "currency": "EUR"}`: the API's and the audit trail's shape."""
    if value is None:
        return None
    return {"amount": f"{_exact(value.amount, value.currency):f}", "currency": value.currency.code}


def money_from_json(data: dict) -> Money:
    """The Money of `money_json`'s shape (an audit payload, an amendment diff)."""
    return Money(data["amount"], data["currency"])


def ocds_value(value: Money) -> dict:
    """An OCDS Value: the amount a JSON number written exactly (a Decimal: core.exactjson)."""
    return {"amount": _exact(value.amount, value.currency), "currency": value.currency.code}


def totals(values) -> dict[str, Money]:
    """The sum of `values` in each currency, by code, in the order the currencies first come.

    Amounts in different currencies are never added together.
    """
    sums: dict[str, Money] = {}
    for value in values:
        code = value.currency.code
        sums[code] = sums[code] + value if code in sums else value
    return sums


def require_same_currency(values, *, field: str) -> None:
    """Refuse (`CurrencyMismatch`) amounts that must agree but are in different currencies."""
    codes = sorted({value.currency.code for value in values})
    if len(codes) > 1:
        raise CurrencyMismatch(
            _("These amounts must be in one currency, not in %(currencies)s.")
            % {"currencies": ", ".join(codes)},
            field=field,
            params={"currencies": codes},
        )


# --- pages -------------------------------------------------------------------------------------


def babel_locale(language: str | None = None) -> str:
    """Babel's locale for `language` (default: the active one): fa_IR or en."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return BABEL_LOCALES.get(language.split("-")[0], "en")


def format_amount(value: Money, language: str | None = None) -> str:
    """The amount as the language writes it, with exactly the currency's minor units.

    English `1,250,000.50`; Persian `۱٬۲۵۰٬۰۰۰٫۵۰`. Never rounded: an amount with
    more decimals than its currency (never stored) shows them all.
    """
    places = minor_units(value.currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    locale = babel_locale(language)
    text = babel_numbers.format_decimal(
        value.amount,
        format=pattern,
        locale=locale,
        numbering_system="default",
        decimal_quantization=False,
    )
    return text.translate(PERSIAN_DIGITS) if locale == "fa_IR" else text


def currency_label(currency, language: str | None = None) -> str:
    """How a page names a currency: its ISO 4217 code in English (as tender notices write
    it), CLDR's Persian symbol in Persian (ریال for IRR, € for EUR)."""
    code = currency.code if isinstance(currency, moneyed.Currency) else str(currency)
    locale = babel_locale(language)
    if locale == "fa_IR":
        return babel_numbers.get_currency_symbol(code, locale=locale)
    return code


def format_money(value: Money | None, language: str | None = None) -> str:
    """Plain text for e-mails and diffs: `1,250.00 IRR`, `۱٬۲۵۰٫۰۰ ریال`."""
    if value is None:
        return ""
    return f"{format_amount(value, language)} {currency_label(value.currency, language)}"


# --- models --------------------------------------------------------------------------------------


class AmountField(models.DecimalField):
    """The amount of a money pair: exact, with room for any ISO 4217 currency's minor units."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", AMOUNT_INTEGER_DIGITS + AMOUNT_DECIMAL_PLACES)
        kwargs.setdefault("decimal_places", AMOUNT_DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def get_db_prep_save(self, value, connection):
        if (
            connection.vendor == "sqlite"
            and isinstance(value, Decimal)
            and value.is_finite()
            and len(value.normalize().as_tuple().digits) > SQLITE_SIGNIFICANT_DIGITS
        ):
            # SQLite would round it: refuse rather than store another amount.
            raise ValueError(
                f"SQLite keeps {SQLITE_SIGNIFICANT_DIGITS} significant digits of a decimal, "
                f"and {value} has more: use PostgreSQL."
            )
        return super().get_db_prep_save(value, connection)


class CurrencyField(models.CharField):
    """The ISO 4217 code of a money pair's currency (checked by `clean_money`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 3)
        super().__init__(*args, **kwargs)


class MoneyField(property):
    """`price = MoneyField()`: the Money held by the columns `price_amount` and `price_currency`.

    Reading gives a `Money` (None when the amount is), written with its
    currency's minor units; assigning a `Money` sets both columns (so does
    `Model(price=...)`). Queries and `update_fields` name the columns
    (`money_columns`). A property, so that Django's model constructor takes it.
    """

    def __init__(self):
        super().__init__(self._get, self._set, doc=self.__doc__)
        self.name = self.amount_attname = self.currency_attname = ""

    def __set_name__(self, owner, name):
        self.name = name
        self.amount_attname = f"{name}_amount"
        self.currency_attname = f"{name}_currency"

    @property
    def columns(self) -> list[str]:
        return [self.amount_attname, self.currency_attname]

    def _get(self, instance):
        amount = getattr(instance, self.amount_attname)
        code = getattr(instance, self.currency_attname)
        if amount is None or not code:
            return None
        currency = moneyed.get_currency(code)
        return Money(_exact(Decimal(amount), currency), currency)

    def _set(self, instance, value):
        if value is None:
            setattr(instance, self.amount_attname, None)
            return
        if not isinstance(value, moneyed.Money):
            raise TypeError(
                f"{self.name}: assign a core.money.Money, not a {type(value).__name__}."
            )
        setattr(instance, self.amount_attname, value.amount)
        setattr(instance, self.currency_attname, value.currency.code)


def money_fields(model) -> dict[str, MoneyField]:
    """The MoneyFields of a model class, by name."""
    return {
        name: attribute
        for klass in reversed(model.__mro__)
        for name, attribute in vars(klass).items()
        if isinstance(attribute, MoneyField)
    }


def money_columns(model, names) -> list[str]:
    """`names` with each MoneyField replaced by its two columns (for `update_fields`)."""
    fields = money_fields(model if isinstance(model, type) else type(model))
    columns = []
    for name in names:
        columns.extend(fields[name].columns if name in fields else [name])
    return columns
