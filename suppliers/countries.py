"""Countries as ISO 3166-1 alpha-2 codes, named in the active language.

The names and their translations come from pycountry (the Debian iso-codes
data), so Persian pages name every country in Persian without our catalogue.
"""

import gettext
import re
from functools import cache

import pycountry
from django.utils import translation
from django.utils.translation import gettext as _


@cache
def codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def is_valid(code: str) -> bool:
    return code in codes()


@cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "en").split("-")[0]


def name(code: str, language: str | None = None) -> str:
    """The country's usual name in `language` (the active one by default); the code if unknown."""
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code
    catalogue = _catalogue(_language(language))
    common = getattr(country, "common_name", None)
    if common:
        translated = catalogue.gettext(common)
        # A common name ("Iran") without its own translation: the official one is translated.
        if translated != common or _language(language) == "en":
            return translated
    return catalogue.gettext(country.name)


@cache
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(((code, name(code, language)) for code in codes()), key=lambda c: c[1].casefold())
    )


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country, sorted by name in `language`."""
    return list(_choices(_language(language)))


# Numbers whose shape a country fixes, checked where a form asks for them. Iran: a legal
# entity's national ID (shenase-ye melli) has 11 digits, a postal code 10.
_IRAN_NATIONAL_ID = re.compile(r"^\d{11}$")
_IRAN_POSTAL_CODE = re.compile(r"^\d{10}$")


def normalised_identifier(country: str, field: str, value: str) -> str:
    """The value as stored: an Iranian postal code without its dash or spaces."""
    if country == "IR" and field == "postal_code":
        return re.sub(r"[\s-]", "", value)
    return value


def identifier_problem(country: str, field: str, value: str) -> str:
    """Why `value` cannot be the `field` of a company in `country`; "" when it can (or unknown)."""
    if not value or country != "IR":
        return ""
    if field == "registration_number" and not _IRAN_NATIONAL_ID.match(value):
        return _(
            "An Iranian company's registration number is its national ID: 11 digits, "
            "e.g. 10101234567."
        )
    if field == "postal_code" and not _IRAN_POSTAL_CODE.match(value):
        return _("An Iranian postal code has 10 digits, e.g. 1411713111.")
    return ""
