"""The Common Procurement Vocabulary (CPV 2008): validation, labels and search.

The full vocabulary (9,454 codes) is read once from `core/data/` and kept in
memory; it is small (≈ 1 MB) and read-only, so a table would only add a
migration that test flushes wipe.
"""

import json
import re
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


# A query that is (the beginning of) a code: digits, perhaps the dash and check digit.
CODE_QUERY = re.compile(r"^\d[\d-]*$")
LATIN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


@cache
def _search_texts() -> list[tuple[str, str]]:
    """Each code with the text a search reads: its English label and its division's Persian."""
    fa = division_labels_fa()
    return [
        (code, f"{english} {fa.get(division(code), '')}".casefold())
        for code, english in vocabulary().items()
    ]


def _whole_word(word: str) -> re.Pattern:
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")


def search(query: str, *, limit: int = 20, language: str | None = None) -> list[tuple[str, str]]:
    """The codes matching `query`, best first, labelled in `language`.

    A query written as digits is a code or its beginning (Persian digits too):
    those codes first, broadest first. Words match the English labels and the
    Persian division labels, whatever the page's language; a code whose labels
    hold every word as a whole word ranks before one that only contains them
    (“road” finds “Road construction works” before “Railroad”). Within a rank,
    the vocabulary's order (a division before what it divides).
    """
    query = query.translate(LATIN_DIGITS).casefold().strip()
    if not query:
        return []
    if CODE_QUERY.match(query):
        digits = query.replace("-", "")
        codes = [code for code in vocabulary() if code.replace("-", "").startswith(digits)]
        codes.sort(key=lambda code: (len(code[:8].rstrip("0")), code))
        return [(code, label(code, language)) for code in codes[:limit]]
    words = query.split()
    whole = [_whole_word(word) for word in words]
    ranked = []
    for code, text in _search_texts():
        if not all(word in text or word in code for word in words):
            continue
        rank = 0 if all(pattern.search(text) for pattern in whole) else 1
        ranked.append((rank, code))
    ranked.sort()
    return [(code, label(code, language)) for _rank, code in ranked[:limit]]
