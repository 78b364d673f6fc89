"""Demo tenders in the states the tender work covers so far, made through the services.

Loaded by `manage.py demo_data` after the demo accounts and suppliers. Every
date is relative to the database's time when the demo is first loaded, so the
published tenders are open for bids; nothing is backdated, so the audit
trail's times are true.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from accounts.selectors import member_with_role, organisations_where, user_holding_role
from core.clock import db_now
from core.money import Money
from panjere_client import member_keys
from suppliers.demo import demo_pdf
from suppliers.selectors import verified_suppliers

from . import selectors, services
from .models import Tender

OFFICER = "officer@roads.example"
APPROVER = "approver@roads.example"
OPENERS = ("committee1@roads.example", "committee2@roads.example", "committee3@roads.example")
# The demo openers' opening-key passphrases: public, like the demo passwords, so that anyone
# trying the demo can unlock a share. A real member's passphrase never leaves their device.
OPENER_PASSPHRASES = {email: f"{email.split('@')[0]} demo opening key" for email in OPENERS}
EVALUATOR = "evaluator@roads.example"
DAY = datetime.timedelta(days=1)
# The documents every demo tender publishes with its notice, titled in both languages.
DOCUMENTS = (
    ("Instructions to bidders", "دستورالعمل شرکت در مناقصه"),
    ("Bill of quantities", "فهرست بها و مقادیر"),
)


@dataclass(frozen=True)
class DemoTender:
    """A demo tender as an Iranian ministry writes it: Persian first, English beside it."""

    reference: str
    state: str
    title: str
    title_fa: str
    description: str
    description_fa: str
    method: str
    category: str
    cpv_code: str
    value: str
    lots: tuple = ()
    extra: dict = field(default_factory=dict)
    # Every amount of the tender (estimate, fee, lots' values and bid security) is in it.
    currency: str = "IRR"
    document_fee: str = "5000000.00"


@dataclass(frozen=True)
class DemoLot:
    title: str
    title_fa: str
    value: str
    security: str
    # (English, Persian, quantity, UN/ECE Recommendation 20 unit, CPV code or "")
    items: tuple
    description: str = ""
    description_fa: str = ""


ROAD_LOTS = (
    DemoLot(
        "Section 1: Karaj to Gachsar",
        "قطعه ۱: کرج تا گچسر",
        "60000000000.00",
        "1200000000.00",
        (
            ("Asphalt milling", "تراش آسفالت", "42000", "MTK", ""),
            ("Asphalt concrete", "بتن آسفالتی", "9500", "TNE", "44113620-7"),
        ),
        "From the Karaj toll station to Gachsar, 45 km.",
        "از عوارضی کرج تا گچسر، به طول ۴۵ کیلومتر.",
    ),
    DemoLot(
        "Section 2: Gachsar to Marzanabad",
        "قطعه ۲: گچسر تا مرزن‌آباد",
        "65000000000.00",
        "1300000000.00",
        (
            ("Asphalt milling", "تراش آسفالت", "38000", "MTK", ""),
            ("Road markings", "خط‌کشی محور", "84", "KMT", ""),
        ),
        "From Gachsar to Marzanabad, 35 km, with the Kandovan tunnel approaches.",
        "از گچسر تا مرزن‌آباد، به طول ۳۵ کیلومتر، با ورودی‌های تونل کندوان.",
    ),
)
DECLARATIONS = ("No conflict of interest with the buyer's staff",)
DECLARATIONS_FA = ("هیچ تعارض منافعی با کارکنان دستگاه مناقصه‌گزار ندارم",)

DEMO_TENDERS = (
    DemoTender(
        "T-DEMO-001",
        "published",
        "Resurfacing of the Karaj-Chalus road",
        "بهسازی و روکش آسفالت محور کرج–چالوس",
        "Milling and resurfacing of 80 km of the Karaj-Chalus road, in two sections.",
        "تراش و روکش آسفالت ۸۰ کیلومتر از محور کرج–چالوس، در دو قطعه، "
        "به سفارش اداره کل راهداری استان البرز.",
        "open",
        "works",
        "45233120-6",
        "125000000000.00",
        ROAD_LOTS,
        {"question": True, "amendment": True},
    ),
    DemoTender(
        "T-DEMO-002",
        "published",
        "Supply of 40 ambulances",
        "خرید ۴۰ دستگاه آمبولانس",
        "Type B ambulances with medical equipment, delivered to provincial centres.",
        "آمبولانس تیپ B با تجهیزات پزشکی، تحویل در مراکز استان‌ها.",
        "open",
        "goods",
        "34114121-3",
        "3800000.00",
        (
            DemoLot(
                "Ambulances",
                "آمبولانس",
                "3800000.00",
                "76000.00",
                (
                    (
                        "Type B ambulance, equipped",
                        "آمبولانس تیپ B با تجهیزات کامل",
                        "40",
                        "H87",
                        "34114121-3",
                    ),
                ),
            ),
        ),
        # Imported vehicles, priced in euros: the demo shows a tender in another currency.
        currency="EUR",
        document_fee="50.00",
    ),
    DemoTender(
        "T-DEMO-003",
        "awaiting_approval",
        "Helpdesk and support services for 2027",
        "خدمات میز خدمت و پشتیبانی برای سال ۲۰۲۷",
        "First- and second-level support for 1,200 staff.",
        "پشتیبانی سطح یک و دو برای ۱٬۲۰۰ نفر از کارکنان.",
        "open",
        "services",
        "72253000-3",
        "9000000000.00",
        (
            DemoLot(
                "Support services",
                "خدمات پشتیبانی",
                "9000000000.00",
                "180000000.00",
                (("Support month", "ماه پشتیبانی", "12", "MON", ""),),
            ),
        ),
    ),
    DemoTender(
        "T-DEMO-004",
        "draft",
        "Hospital beds for Rasht provincial hospital",
        "تخت بیمارستانی برای بیمارستان استانی رشت",
        "Electric hospital beds with mattresses.",
        "تخت برقی بیمارستانی با تشک.",
        "open",
        "goods",
        "33192120-9",
        "14000000000.00",
    ),
    DemoTender(
        "T-DEMO-005",
        "cancelled",
        "Footbridge over the Tehran-Karaj motorway",
        "پل عابر پیاده بر آزادراه تهران–کرج",
        "Design and build of a steel footbridge.",
        "طراحی و ساخت یک پل عابر پیاده فلزی.",
        "open",
        "works",
        "45221111-3",
        "45000000000.00",
        ROAD_LOTS[:1],
        {
            "cancel_reason": "The municipality will build the footbridge itself.",
            "cancel_reason_fa": "شهرداری خود پل عابر پیاده را می‌سازد.",
        },
    ),
)


@dataclass(frozen=True)
class _Team:
    """The demo buyer's people who prepare, approve, open and evaluate its tenders."""

    buyer: object
    officer: User
    approver: User
    openers: list
    evaluator: User


def _user(email: str, role: str) -> User:
    user = user_holding_role(email, role)
    if user is None:
        raise RuntimeError(f"Load the demo accounts first: {email} ({role}) is missing.")
    return user


def _team() -> _Team:
    officer = _user(OFFICER, Role.PROCUREMENT_OFFICER)
    return _Team(
        buyer=organisations_where(officer, role=Role.PROCUREMENT_OFFICER)[0],
        officer=officer,
        approver=_user(APPROVER, Role.APPROVER),
        openers=[_user(email, Role.COMMITTEE_MEMBER) for email in OPENERS],
        evaluator=_user(EVALUATOR, Role.EVALUATOR),
    )


def load_demo_member_keys(team: "_Team", stdout=None) -> None:
    """Give each demo opener an opening key under its public demo passphrase, if it has none.

    Made here as the member's CLI would make it (`panjere_client.member_keys`),
    then registered through the service: the server side sees the key file only.
    """
    for opener in team.openers:
        if selectors.current_member_key(opener) is not None:
            continue
        key_file, _private_key = member_keys.create(OPENER_PASSPHRASES[opener.email])
        services.member_key_create(actor=opener, key_file=key_file.dumps())
        if stdout is not None:
            stdout.write(f"Demo opening key: {opener.email} {key_file.fingerprint}\n")


def load_demo_tenders(stdout=None) -> list[Tender]:
    """Create the demo tenders that are missing; return every demo tender, in order.

    The openers' keys come first: a tender is published only once every member of
    its opening committee has one.
    """
    team = _team()
    load_demo_member_keys(team, stdout)
    tenders = []
    for demo in DEMO_TENDERS:
        existing = Tender.objects.filter(reference=demo.reference).first()
        if existing is not None:
            tenders.append(existing)
            continue
        tender = _prepare(demo, team)
        _bring_to_state(tender, demo, team)
        tender = Tender.objects.get(pk=tender.pk)
        tenders.append(tender)
        if stdout is not None:
            stdout.write(f"Demo tender: {demo.reference} ({tender.state}) {demo.title}\n")
    return tenders


def _prepare(demo: DemoTender, team: _Team) -> Tender:
    """The complete draft: its fields, committees, lots with their items, and documents."""
    now = db_now()
    tender = services.tender_create(
        actor=team.officer,
        buyer=team.buyer,
        reference=demo.reference,
        title=demo.title,
        title_fa=demo.title_fa,
        description=demo.description,
        description_fa=demo.description_fa,
        procurement_method=demo.method,
        main_category=demo.category,
        cpv_code=demo.cpv_code,
        estimated_value=Money(demo.value, demo.currency),
        document_fee=Money(demo.document_fee, demo.currency),
        envelope_scheme="single",
        evaluation_method="lowest_price",
        required_documents=["registration_certificate", "tax_clearance"],
        required_declarations=list(DECLARATIONS),
        required_declarations_fa=list(DECLARATIONS_FA),
        clarification_deadline=now + 20 * DAY,
        submission_deadline=now + 35 * DAY,
        opening_at=now + 35 * DAY + datetime.timedelta(hours=1),
        opening_threshold=2,
        approver=team.approver,
        opening_committee=team.openers,
        evaluation_committee=[team.evaluator],
    )
    for lot in demo.lots:
        services.lot_add(
            actor=team.officer,
            tender=tender,
            title=lot.title,
            title_fa=lot.title_fa,
            description=lot.description,
            description_fa=lot.description_fa,
            estimated_value=Money(lot.value, demo.currency),
            bid_security=Money(lot.security, demo.currency),
            items=[
                {
                    "description": description,
                    "description_fa": description_fa,
                    "quantity": Decimal(quantity),
                    "unit": unit,
                    **({"cpv_code": cpv_code} if cpv_code else {}),
                }
                for description, description_fa, quantity, unit, cpv_code in lot.items
            ],
        )
    for title, title_fa in DOCUMENTS:
        services.tender_document_upload(
            actor=team.officer,
            tender=tender,
            title=title,
            title_fa=title_fa,
            uploaded=_document(demo, title, 1),
        )
    return tender


def _bring_to_state(tender: Tender, demo: DemoTender, team: _Team) -> None:
    """Submit, approve, cancel, ask and amend as the demo tender's state and extras say."""
    officer = team.officer
    if demo.state in {"awaiting_approval", "published", "cancelled"}:
        services.tender_submit_for_approval(actor=officer, tender=tender)
    if demo.state in {"published", "cancelled"}:
        services.tender_approve_and_publish(actor=team.approver, tender=tender)
    if demo.state == "cancelled":
        services.tender_cancel(
            actor=officer,
            tender=tender,
            reason=demo.extra["cancel_reason"],
            reason_fa=demo.extra["cancel_reason_fa"],
        )
    if demo.extra.get("question"):
        _ask_and_answer(tender, officer)
    if demo.extra.get("amendment"):
        services.tender_amend(
            actor=officer,
            tender=tender,
            summary=(
                "A site visit is added on the first day of the clarification period, "
                "and the bill of quantities is revised."
            ),
            summary_fa=(
                "بازدید از محل در نخستین روز مهلت پرسش و پاسخ افزوده شد "
                "و فهرست بها و مقادیر اصلاح شد."
            ),
            changes={
                "description": demo.description
                + " A site visit starts from the Karaj toll station.",
                "description_fa": demo.description_fa + " بازدید از محل از عوارضی کرج آغاز می‌شود.",
            },
            documents=[("Bill of quantities", _document(demo, "Bill of quantities", 2))],
        )


def _document(demo: DemoTender, title: str, version: int) -> SimpleUploadedFile:
    name = title.lower().replace(" ", "-")
    return SimpleUploadedFile(
        f"{demo.reference.lower()}-{name}-v{version}.pdf",
        demo_pdf(demo.reference, title, f"Version {version}", "Demonstration only"),
        content_type="application/pdf",
    )


def _ask_and_answer(tender: Tender, officer: User) -> None:
    supplier = verified_suppliers().first()
    if supplier is None:
        return
    asker = member_with_role(supplier.organisation_id, Role.SUPPLIER_ADMIN)
    if asker is None:
        return
    clarification = services.clarification_ask(
        actor=asker,
        tender=Tender.objects.get(pk=tender.pk),
        supplier=supplier,
        question="May the asphalt plant be installed at the Gachsar depot?",
        question_fa="آیا کارخانه آسفالت را می‌توان در انبار راهداری گچسر برپا کرد؟",
    )
    services.clarification_answer(
        actor=officer,
        clarification=clarification,
        answer="Yes: the depot is available from the second week; see the site plan.",
        answer_fa="بله: انبار از هفته دوم در دسترس است؛ نقشه محل را ببینید.",
    )
