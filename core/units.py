"""Units of measure: a curated subset of UN/ECE Recommendation 20.

OCDS names this codelist `UNCEFACT` (item.unit.scheme). The list is read once
from `core/data/units-unece-rec20.json`, each code with its English name (the
Recommendation's), its Persian label and the free-text spellings it matches.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.utils import translation

DATA = Path(__file__).resolve().parent / "data" / "units-unece-rec20.json"
SCHEME = "UNCEFACT"


@cache
def units() -> dict[str, dict]:
    """Every code mapped to {"en": name, "fa": label, "aliases": [...]}, in the list's order."""
    with DATA.open(encoding="utf-8") as handle:
        return {unit["code"]: unit for unit in json.load(handle)}


def is_valid(code: str) -> bool:
    return code in units()


def label(code: str, language: str | None = None) -> str:
    """The name of `code` in `language` (the active one by default); the code if unknown."""
    unit = units().get(code)
    if unit is None:
        return code
    language = language or translation.get_language() or "en"
    return unit["fa"] if language.startswith("fa") else unit["en"]


def choices(language: str | None = None) -> list[tuple[str, str]]:
    """(code, "name (code)") for a select, in the list's order."""
    return [(code, f"{label(code, language)} ({code})") for code in units()]


@cache
def _aliases() -> dict[str, str]:
    found = {}
    for code, unit in units().items():
        for alias in [code, unit["en"], unit["fa"], *unit["aliases"]]:
            found.setdefault(_normal(alias), code)
    return found


def _normal(text: str) -> str:
    return re.sub(r"[\s\u200c.]+", " ", (text or "").casefold()).strip()


def match(text: str) -> str:
    """The code a free-text unit ("kg", "Tonnes", "متر مربع", "MTK") stands for, or ""."""
    return _aliases().get(_normal(text), "")
