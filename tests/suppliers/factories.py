"""Suppliers in every state, with valid documents, for the suppliers' tests."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from suppliers import services
from suppliers.models import Supplier
from tests.factories import make_member

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="certificate.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def complete_profile(**overrides):
    fields = {
        "legal_name": "Alborz Road Builders Co.",
        "legal_name_fa": "شرکت راه‌سازان البرز",
        "registration_number": "10101234567",
        "tax_id": "411111111111",
        "country": "IR",
        "address_line": "12 Valiasr Street",
        "city": "Tehran",
        "postal_code": "1411713111",
        "contact_email": "office@alborz.example",
        "contact_phone": "+982188776655",
        "cpv_codes": ["45233120-6"],
    }
    fields.update(overrides)
    return fields


def upload_required(supplier, actor, *, expires_on=None, issued_on=None):
    issued_on = issued_on or datetime.date(2026, 1, 10)
    for kind in ("registration_certificate", "tax_clearance", "social_security"):
        services.supplier_document_upload(
            actor=actor,
            supplier=supplier,
            kind=kind,
            uploaded=pdf(f"{kind}.pdf"),
            issued_on=issued_on,
            expires_on=expires_on,
        )


def registered_supplier(*, admin=None, documents=True, **overrides) -> tuple[Supplier, object]:
    """A draft supplier with a complete profile (and its documents), and its admin user."""
    from tests.factories import UserFactory

    admin = admin or UserFactory()
    fields = complete_profile(**overrides)
    legal_name = fields.pop("legal_name")
    country = fields.pop("country")
    supplier = services.supplier_register(
        actor=admin, legal_name=legal_name, country=country, **fields
    )
    if documents:
        upload_required(supplier, admin, expires_on=datetime.date(2030, 1, 1))
    return supplier, admin


def officer():
    return make_member(Role.VERIFIER)


def oversight_admin():
    return make_member(Role.PLATFORM_ADMIN)


def supplier_in_state(state: str, **overrides):
    """A supplier brought to `state` through the services, with its admin and officer."""
    supplier, admin, reviewer = _bring_to(state, **overrides)
    return Supplier.objects.get(pk=supplier.pk), admin, reviewer


def _bring_to(state: str, **overrides):
    supplier, admin = registered_supplier(**overrides)
    reviewer = officer()
    if state == "draft":
        return supplier, admin, reviewer
    services.supplier_submit(actor=admin, supplier=supplier)
    if state == "submitted":
        return supplier, admin, reviewer
    if state == "changes_requested":
        services.supplier_request_changes(
            actor=reviewer,
            supplier=supplier,
            items=[{"target_type": "field", "target": "tax_id", "reason": "Illegible"}],
        )
        return supplier, admin, reviewer
    services.supplier_verify(actor=reviewer, supplier=supplier)
    if state == "verified":
        return supplier, admin, reviewer
    if state == "suspended":
        services.supplier_suspend(actor=reviewer, supplier=supplier, reason="Bank guarantee forged")
        return supplier, admin, reviewer
    if state == "debarred":
        services.supplier_debar(
            actor=oversight_admin(),
            supplier=supplier,
            reason="Collusion in tender T-1",
            until=datetime.date(2099, 1, 1),
        )
        return supplier, admin, reviewer
    raise ValueError(state)


def io_bytes(data: bytes):
    return io.BytesIO(data)


# Who looks at a supplier, for the authorization tests of both sides.
VIEWERS = ("admin", "bidder", "other_supplier", "officer", "auditor", "anonymous")


def viewer(kind: str, supplier, admin):
    """A user of `kind` in relation to `supplier` (None for the anonymous public)."""
    if kind == "admin":
        return admin
    if kind == "bidder":
        return make_member(Role.BIDDER, organisation=supplier.organisation)
    if kind == "other_supplier":
        _other, other_admin = registered_supplier(
            documents=False, registration_number="999", legal_name="Other Co."
        )
        return other_admin
    if kind == "officer":
        return officer()
    if kind == "auditor":
        return make_member(Role.AUDITOR)
    if kind == "anonymous":
        return None
    raise ValueError(kind)
