"""CSV files that open safely in a spreadsheet: UTF-8 with a BOM, no cell taken for a formula.

A supplier named `=HYPERLINK("http://evil.example", "Click")` (or starting with
`+`, `-`, `@`, a tab or a carriage return) would run as a formula in Excel or
LibreOffice when an official opens an export ("CSV injection"). Every text cell
that a spreadsheet would read as a formula gets a leading apostrophe, which
spreadsheets show as text and hide. Numbers (int, Decimal, float) stay numbers.

The BOM makes Excel read the file as UTF-8, so Persian text is not garbled.

`restore_cell` undoes `neutralise` exactly (a reader that checks hashes of
exported values, such as the audit verifier, needs the original text): a cell
gets the apostrophe iff, without its leading apostrophes, it starts with a
formula character, so values that already began with apostrophes survive too.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import StreamingHttpResponse

BOM = "\ufeff"
# What spreadsheets read as the start of a formula (OWASP's list), and the full-width
# forms some of them also accept.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CONTENT_TYPE = "text/csv; charset=utf-8"


def neutralise(value) -> str | int | float | Decimal:
    """The cell for `value`: text a spreadsheet will not evaluate; numbers as they are."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal):
        return value
    text = str(value)
    if text.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """The original text of a cell written by `neutralise`."""
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS):
        return text[1:]
    return text


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The lines of a CSV file of `rows` (the header first), the BOM before the first."""
    writer = csv.writer(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A streamed CSV attachment of `rows`, safe to open in a spreadsheet."""
    response = StreamingHttpResponse(csv_lines(rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
