"""CSV exports: a supplier named like a formula stays text; UTF-8 with a BOM; reversible."""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest

from core.spreadsheets import BOM, csv_lines, csv_response, neutralise, restore_cell

ROOT = Path(__file__).resolve().parents[2]

FORMULA_NAMES = [
    '=HYPERLINK("http://evil.example","Click")',
    "+98 21 8877 6655",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",  # a full-width equals sign
]


def _parse(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :])))


@pytest.mark.parametrize("name", FORMULA_NAMES)
def test_a_name_a_spreadsheet_would_evaluate_is_written_as_text(name):
    # when a supplier with such a name is exported
    rows = _parse(csv_lines([["legal_name", "country"], [name, "IR"]]))

    # then its cell starts with an apostrophe, which spreadsheets show as text
    assert rows == [["legal_name", "country"], ["'" + name, "IR"]]


def test_ordinary_text_persian_text_and_numbers_are_written_as_they_are():
    rows = _parse(
        csv_lines(
            [
                ["name", "amount", "count", "empty", "flag"],
                ["شرکت راه‌سازان البرز", Decimal("-125000.50"), -3, None, True],
                ["O'Brien & Sons", 1.5, 0, "", False],
            ]
        )
    )

    assert rows == [
        ["name", "amount", "count", "empty", "flag"],
        ["شرکت راه‌سازان البرز", "-125000.50", "-3", "", "True"],
        ["O'Brien & Sons", "1.5", "0", "", "False"],
    ]


def test_the_file_is_utf8_with_a_bom_for_excel():
    encoded = "".join(csv_lines([["name"], ["شرکت"]])).encode("utf-8")

    assert encoded.startswith(b"\xef\xbb\xbf")
    assert encoded == "\ufeffname\r\nشرکت\r\n".encode()


@pytest.mark.parametrize(
    "original",
    [*FORMULA_NAMES, "'=already quoted", "''=twice", "'plain", "plain", "", "a=b", "-"],
)
def test_restore_gives_back_the_original_text(original):
    assert restore_cell(neutralise(original)) == original


def test_the_response_is_a_streamed_attachment():
    response = csv_response([["legal_name"], ["=1+1"]], filename="suppliers.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="suppliers.csv"'
    assert b"".join(response.streaming_content).decode() == "\ufefflegal_name\r\n'=1+1\r\n"


def test_every_csv_the_platform_writes_goes_through_the_helper():
    # audit/views.py is being rewritten and takes the helper there.
    writers = sorted(
        str(path.relative_to(ROOT))
        for app in ("core", "accounts", "suppliers", "tenders")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\bcsv\.(writer|DictWriter)\b", path.read_text())
    )
    assert writers == ["core/spreadsheets.py"]
