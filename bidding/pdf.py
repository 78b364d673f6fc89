"""The receipt as a PDF people can file: what was received, when, and the signed JSON itself.

fpdf2 writes the PDF with the Vazirmatn font (OFL, bidding/fonts/, the same
face the pages use); Persian text is shaped with arabic-reshaper and put in
visual order with python-bidi, since fpdf2 alone does neither.
"""

import json
from pathlib import Path

from arabic_reshaper import reshape
from bidi import get_display
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from fpdf import FPDF

FONTS = Path(__file__).resolve().parent / "fonts"


def _text(value) -> str:
    """Text as the PDF must draw it: shaped and in visual order when it holds Arabic script."""
    value = str(value)
    if any("\u0600" <= character <= "\u06ff" for character in value):
        return get_display(reshape(value))
    return value


def receipt_pdf(bid) -> bytes:
    document = bid.receipt.document
    rtl = get_language_bidi()
    align = "R" if rtl else "L"
    pdf = FPDF(format="A4")
    pdf.set_title(f"Panjere receipt, bid {bid.pk}")
    pdf.set_creator("Panjere")
    pdf.add_font("Vazirmatn", "", str(FONTS / "Vazirmatn-Regular.ttf"))
    pdf.add_font("Vazirmatn", "B", str(FONTS / "Vazirmatn-Bold.ttf"))
    pdf.add_page()
    pdf.set_font("Vazirmatn", "B", 16)
    pdf.multi_cell(
        0, 10, _text(_("Receipt of a sealed bid")), align=align, new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("Vazirmatn", "", 10)
    rows = [
        (_("Tender"), f"{bid.tender.reference} ({document['tender']})"),
        (
            _("Tender title"),
            bid.tender.title_fa if rtl and bid.tender.title_fa else bid.tender.title,
        ),
        (_("Lot"), document["lot"]),
        (_("Supplier"), f"{bid.supplier.legal_name} ({document['supplier']})"),
        (
            _("Bid"),
            f"{document['bid']}, "
            + _("version %(version)s") % {"version": document["bid_version"]},
        ),
        (_("Received at (UTC)"), document["received_at"]),
        (_("Audit event"), str(document["audit_seq"])),
        (
            _("Latest checkpoint"),
            "—"
            if document["checkpoint"] is None
            else f"{document['checkpoint']['size']} {document['checkpoint']['root_hash']}",
        ),
        (_("Signing key"), document["key_id"]),
    ]
    for entry in document["envelopes"]:
        rows.append(
            (
                _("Envelope: %(kind)s") % {"kind": entry["kind"]},
                f"{entry['size']} bytes, SHA-256 {entry['sha256']}",
            )
        )
    for label, value in rows:
        pdf.set_font("Vazirmatn", "B", 10)
        pdf.multi_cell(0, 6, _text(label), align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Vazirmatn", "", 10)
        pdf.multi_cell(0, 6, _text(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Vazirmatn", "B", 10)
    pdf.multi_cell(
        0,
        6,
        _text(_("The signed receipt (check it on the platform's page or with `panjere`):")),
        align=align,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Vazirmatn", "", 7)
    pdf.multi_cell(
        0,
        4,
        json.dumps(document, sort_keys=True, ensure_ascii=True, indent=1),
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
