"""Demo suppliers, one or more in each state of the verification workflow.

`load_demo_suppliers()` is called by `manage.py demo_data` after the demo
accounts exist: the oversight body's verifying officer and administrator of those
accounts take the decisions. Every supplier is brought to its state through
the services, so its audit trail and notifications are those of a real one.
Idempotent: a supplier whose registration number is already registered is
left as it is.
"""

import datetime
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.demo import demo_person
from accounts.models import Membership, Role, User
from core.clock import db_now

from . import services
from .models import Supplier

VERIFIER_EMAIL = "verifier@ppa.example"
OVERSIGHT_EMAIL = "admin@ppa.example"
REQUIRED_KINDS = ("registration_certificate", "tax_clearance", "social_security")


@dataclass(frozen=True)
class DemoSupplier:
    state: str
    email: str
    name: str
    legal_name: str
    legal_name_fa: str
    registration_number: str
    country: str
    city: str
    cpv_codes: tuple[str, ...]
    extra: dict = field(default_factory=dict)


DEMO_SUPPLIERS = (
    DemoSupplier(
        "draft",
        "admin@kavir-solar.example",
        "Nima Farahani",
        "Kavir Solar Systems Co.",
        "شرکت سامانه‌های خورشیدی کویر",
        "10320000001",
        "IR",
        "Yazd",
        ("09331200-0",),
    ),
    DemoSupplier(
        "submitted",
        "admin@caspian-build.example",
        "Shirin Nazari",
        "Caspian Builders Co.",
        "شرکت سازندگان خزر",
        "10320000002",
        "IR",
        "Rasht",
        ("45233120-6", "45262300-4"),
    ),
    DemoSupplier(
        "submitted",
        "admin@anatolia-med.example",
        "Emre Yilmaz",
        "Anatolia Medical Supplies Ltd.",
        "شرکت تجهیزات پزشکی آناتولی",
        "TR-4501234",
        "TR",
        "Ankara",
        ("33140000-3",),
    ),
    DemoSupplier(
        "changes_requested",
        "admin@pars-it.example",
        "Babak Ansari",
        "Pars IT Services Co.",
        "شرکت خدمات فناوری اطلاعات پارس",
        "10320000003",
        "IR",
        "Shiraz",
        ("72000000-5",),
    ),
    DemoSupplier(
        "verified",
        "admin@sepahan-steel.example",
        "Golnaz Tehrani",
        "Sepahan Steel Structures Co.",
        "شرکت سازه‌های فولادی سپاهان",
        "10320000004",
        "IR",
        "Isfahan",
        ("45262420-1", "45223200-8"),
        {"tax_clearance_expires_in_days": 20},
    ),
    DemoSupplier(
        "suspended",
        "admin@tabriz-cables.example",
        "Arash Rezaei",
        "Tabriz Cables and Wires Co.",
        "شرکت کابل و سیم تبریز",
        "10320000005",
        "IR",
        "Tabriz",
        ("31320000-5",),
    ),
    DemoSupplier(
        "debarred",
        "admin@golestan-trading.example",
        "Hamid Kiani",
        "Golestan General Trading Co.",
        "شرکت بازرگانی عمومی گلستان",
        "10320000006",
        "IR",
        "Gorgan",
        ("30192000-1",),
    ),
)


def demo_pdf(*lines: str) -> bytes:
    """A small, valid one-page PDF showing `lines` (ASCII), made without any library."""

    def escape(text: str) -> str:
        text = text.encode("ascii", "replace").decode()
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text = "BT /F1 16 Tf 72 770 Td 22 TL " + " ".join(f"({escape(line)}) '" for line in lines)
    stream = f"{text} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _decider(email: str, role: str) -> User:
    """The demo account that takes the officers' decisions, or any holder of the role."""
    user = User.objects.filter(email=email, memberships__role=role).first()
    if user is None:
        membership = (
            Membership.objects.filter(role=role, is_active=True).select_related("user").first()
        )
        user = membership.user if membership else None
    if user is None:
        raise RuntimeError(
            f"No user holds the role {role}: load the demo accounts (manage.py demo_data) first."
        )
    return user


def _upload_documents(supplier, admin, demo: DemoSupplier, today: datetime.date):
    kinds = REQUIRED_KINDS if demo.state != "draft" else REQUIRED_KINDS[:2]
    for kind in kinds:
        expires_in = 700
        if kind == "tax_clearance" and "tax_clearance_expires_in_days" in demo.extra:
            expires_in = demo.extra["tax_clearance_expires_in_days"]
        services.supplier_document_upload(
            actor=admin,
            supplier=supplier,
            kind=kind,
            uploaded=SimpleUploadedFile(
                f"{kind}.pdf",
                demo_pdf(demo.legal_name, kind.replace("_", " ").title(), "Demonstration only"),
                content_type="application/pdf",
            ),
            issued_on=today - datetime.timedelta(days=200),
            expires_on=today + datetime.timedelta(days=expires_in),
        )


def _bring_to_state(supplier, admin, demo: DemoSupplier, officer, oversight, today):
    if demo.state == "draft":
        return
    services.supplier_submit(actor=admin, supplier=supplier)
    if demo.state == "submitted":
        return
    if demo.state == "changes_requested":
        services.supplier_request_changes(
            actor=officer,
            supplier=supplier,
            items=[
                {
                    "target_type": "field",
                    "target": "tax_id",
                    "reason": "The tax id does not match the tax clearance certificate.",
                },
                {
                    "target_type": "document",
                    "target": "social_security",
                    "reason": "The scan is illegible; upload a clearer copy.",
                },
            ],
        )
        return
    services.supplier_verify(
        actor=officer, supplier=supplier, reason="Documents checked against the registry."
    )
    if demo.state == "suspended":
        services.supplier_suspend(
            actor=officer,
            supplier=supplier,
            reason="Bank guarantee under investigation for forgery.",
        )
    elif demo.state == "debarred":
        services.supplier_debar(
            actor=oversight,
            supplier=supplier,
            reason="Collusive bidding in tender MRUD-1404-017 (decision PPA/88).",
            until=today + datetime.timedelta(days=365),
        )


def load_demo_suppliers(stdout=None) -> list[User]:
    """Create the demo suppliers that are missing; return every demo supplier's admin user.

    Each supplier has its own admin account (password DEMO_PASSWORD, no second
    factor: supplier roles do not require one). The returned users are in the
    order of DEMO_SUPPLIERS, whether created now or by an earlier run.
    """
    officer = _decider(VERIFIER_EMAIL, Role.VERIFIER)
    oversight = _decider(OVERSIGHT_EMAIL, Role.PLATFORM_ADMIN)
    today = db_now().date()
    users = []
    for demo in DEMO_SUPPLIERS:
        # Each step is a service with its own durable transaction; a run cut short
        # is completed by the next one, which adds only what is missing.
        admin = demo_person(email=demo.email, name=demo.name)
        users.append(admin)
        if Supplier.objects.filter(
            country=demo.country, registration_number=demo.registration_number
        ).exists():
            continue
        supplier = services.supplier_register(
            actor=admin,
            legal_name=demo.legal_name,
            country=demo.country,
            legal_name_fa=demo.legal_name_fa,
            registration_number=demo.registration_number,
            tax_id=f"4{demo.registration_number[-10:].replace('-', '0')}",
            address_line="1 Demo Street",
            city=demo.city,
            postal_code="1234567890",
            contact_email=demo.email,
            contact_phone="+982100000000",
            cpv_codes=list(demo.cpv_codes),
        )
        _upload_documents(supplier, admin, demo, today)
        _bring_to_state(supplier, admin, demo, officer, oversight, today)
        if stdout is not None:
            stdout.write(f"Demo supplier: {demo.legal_name} ({demo.state}), {demo.email}\n")
    return users
