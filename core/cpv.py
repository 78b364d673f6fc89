"""The Common Procurement Vocabulary (CPV 2008): validation, labels and search.

The full vocabulary (9,454 codes) is read once from `core/data/` and kept in
memory; it is small (≈ 1 MB) and read-only, so a table would only add a
migration that test flushes wipe.
"""

import json
from functools import cache
from pathlib import Path

from django.utils import translation

DATA = Path(__file__).resolve().parent / "data"


@cache
def vocabulary() -> dict[str, str]:
    """Every CPV code mapped to its English label."""
    with (DATA / "cpv-2008-en.json").open(encoding="utf-8") as handle:
        return json.load(handle)


@cache
def division_labels_fa() -> dict[str, str]:
    with (DATA / "cpv-divisions-fa.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def is_valid(code: str) -> bool:
    return code in vocabulary()


def division(code: str) -> str:
    return code[:2]


def label(code: str, language: str | None = None) -> str:
    """The label of `code` in `language` (the active one by default).

    Persian has labels for the 45 divisions; below that level the Persian
    label is the division's, followed by the English label.
    """
    english = vocabulary()[code]
    language = language or translation.get_language() or "en"
    if not language.startswith("fa"):
        return english
    fa = division_labels_fa().get(division(code), "")
    if code[2:8] == "000000":
        return fa or english
    return f"{fa} — {english}" if fa else english


def search(query: str, *, limit: int = 20, language: str | None = None) -> list[tuple[str, str]]:
    """Codes whose code or label contains every word of `query`, divisions first."""
    words = query.casefold().split()
    if not words:
        return []
    results = []
    for code in vocabulary():
        text = f"{code} {label(code, language)} {vocabulary()[code]}".casefold()
        if all(word in text for word in words):
            results.append((code, label(code, language)))
            if len(results) >= limit:
                break
    return results
