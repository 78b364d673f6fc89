"""Buyers with their people, and tenders brought to each state through the services."""

import datetime
import itertools
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from accounts.models import OrganisationKind, Role
from core.clock import frozen_at
from core.money import Money
from panjere_client.keys import public_bytes
from panjere_client.member_keys import DEFAULT_PARAMETERS, MemberKeyFile
from tenders import services
from tenders.models import MemberKey, Tender
from tests.factories import OrganisationFactory, UserFactory, make_member

# The database time of every tender test (tests/tenders/conftest.py freezes it).
NOW = datetime.datetime(2029, 6, 1, 9, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)
HOUR = datetime.timedelta(hours=1)

CLARIFICATION_DEADLINE = NOW + 20 * DAY
SUBMISSION_DEADLINE = NOW + 35 * DAY
OPENING_AT = SUBMISSION_DEADLINE + HOUR

_references = itertools.count(1)


@dataclass
class Team:
    """A procuring entity and the people who prepare, approve, open and evaluate."""

    buyer: object
    officer: object
    approver: object
    opening: list = field(default_factory=list)
    evaluation: list = field(default_factory=list)


def buyer_team(*, opening_keys: bool = True) -> Team:
    """A buyer and its people; the three openers hold opening keys unless `opening_keys=False`."""
    buyer = OrganisationFactory(kind=OrganisationKind.PROCURING_ENTITY, name="Roads Authority")
    opening = [
        make_member(Role.COMMITTEE_MEMBER, organisation=buyer, name=f"Opener {n}")
        for n in (1, 2, 3)
    ]
    if opening_keys:
        for member in opening:
            opening_key(member)
    return Team(
        buyer=buyer,
        officer=make_member(Role.PROCUREMENT_OFFICER, organisation=buyer, name="Officer"),
        approver=make_member(Role.APPROVER, organisation=buyer, name="Approver"),
        opening=opening,
        evaluation=[make_member(Role.EVALUATOR, organisation=buyer, name="Evaluator")],
    )


def key_file_for(private_key=None) -> MemberKeyFile:
    """A well-formed key file of a real public key, without running Argon2id.

    Its encrypted part is random: it holds no passphrase, so it never unlocks.
    Tests that unlock use `panjere_client.member_keys.create`, which costs 19 MiB and
    two passes of Argon2id per key.
    """
    private_key = private_key or X25519PrivateKey.generate()
    return MemberKeyFile(
        public_key=public_bytes(private_key.public_key()),
        parameters=DEFAULT_PARAMETERS,
        salt=secrets.token_bytes(16),
        nonce=secrets.token_bytes(12),
        encrypted_private_key=secrets.token_bytes(48),
    )


def opening_key(user, key_file: MemberKeyFile | None = None) -> MemberKey:
    """Give `user` a current opening key directly (no service, no audit event)."""
    key_file = key_file or key_file_for()
    return MemberKey.objects.create(
        user=user,
        public_key=key_file.to_json()["public_key"],
        fingerprint=key_file.fingerprint,
        key_file=key_file.dumps(),
        created_at=NOW,
    )


def next_reference() -> str:
    return f"T-2029-{next(_references):04d}"


def complete_fields(team: Team, **overrides) -> dict:
    """Everything a tender needs to be approved, at NOW."""
    fields = {
        "reference": next_reference(),
        "title": "Resurfacing of the Karaj-Chalus road",
        "title_fa": "بهسازی جاده کرج-چالوس",
        "description": "Milling and resurfacing of 42 km of road.",
        "procurement_method": "open",
        "main_category": "works",
        "cpv_code": "45233120-6",
        "estimated_value": Money("125000000000.00", "IRR"),
        "document_fee": Money("5000000.00", "IRR"),
        "envelope_scheme": "single",
        "evaluation_method": "lowest_price",
        "required_documents": ["tax_clearance"],
        "required_declarations": ["No conflict of interest"],
        "clarification_deadline": CLARIFICATION_DEADLINE,
        "submission_deadline": SUBMISSION_DEADLINE,
        "opening_at": OPENING_AT,
        "opening_threshold": 2,
        "approver": team.approver,
        "opening_committee": team.opening,
        "evaluation_committee": team.evaluation,
    }
    fields.update(overrides)
    return fields


def draft_tender(team: Team | None = None, *, lots: int = 1, **overrides) -> tuple[Tender, Team]:
    """A complete draft with `lots` lots of two items each, and its team."""
    team = team or buyer_team()
    tender = services.tender_create(
        actor=team.officer, buyer=team.buyer, **complete_fields(team, **overrides)
    )
    for number in range(1, lots + 1):
        services.lot_add(
            actor=team.officer,
            tender=tender,
            title=f"Section {number}",
            estimated_value=Money("60000000000.00", "IRR"),
            bid_security=Money("1200000000.00", "IRR"),
            items=[
                {"description": "Asphalt milling", "quantity": Decimal("42000"), "unit": "m2"},
                {
                    "description": "Asphalt concrete",
                    "quantity": Decimal("9500.5"),
                    "unit": "t",
                    "cpv_code": "44113620-7",
                },
            ],
        )
    return Tender.objects.get(pk=tender.pk), team


_registration_numbers = itertools.count(20000000001)


def eligible_supplier(**overrides):
    """A verified supplier with valid documents (it may bid now), and its admin user."""
    from tests.suppliers.factories import supplier_in_state

    overrides.setdefault("registration_number", str(next(_registration_numbers)))
    supplier, admin, _reviewer = supplier_in_state("verified", **overrides)
    return supplier, admin


def invite_suppliers(tender: Tender, team: Team, count: int | None = None) -> list:
    """Invite `count` new eligible suppliers (default: the minimum) to a restricted draft."""
    from django.conf import settings

    count = settings.TENDER_RESTRICTED_MIN_INVITATIONS if count is None else count
    suppliers = []
    for number in range(1, count + 1):
        supplier, _admin = eligible_supplier(legal_name=f"Invited Builders {number}")
        services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
        suppliers.append(supplier)
    return suppliers


def tender_in_state(state: str, team: Team | None = None, **overrides) -> tuple[Tender, Team]:
    """A tender brought to `state` through the services (the clock back at NOW after).

    A restricted tender gets the minimum number of invited suppliers first.
    """
    tender, team = draft_tender(team, **overrides)
    if tender.procurement_method == "restricted" and state != "draft":
        invite_suppliers(tender, team)
    if state == "draft":
        return tender, team
    if state == "cancelled":
        services.tender_cancel(actor=team.officer, tender=tender, reason="Budget withdrawn")
        return Tender.objects.get(pk=tender.pk), team
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    if state == "awaiting_approval":
        return Tender.objects.get(pk=tender.pk), team
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    if state == "published":
        return Tender.objects.get(pk=tender.pk), team
    with frozen_at(tender.submission_deadline):
        services.tender_close(tender=tender)
    if state == "closed":
        return Tender.objects.get(pk=tender.pk), team
    if state == "unsuccessful":
        services.tender_declare_unsuccessful(
            actor=None, tender=tender, reason="No bid was received."
        )
        return Tender.objects.get(pk=tender.pk), team
    raise ValueError(state)


def outsider(role: str = Role.PROCUREMENT_OFFICER):
    """Someone holding `role` in another organisation."""
    return make_member(role)


def plain_user():
    return UserFactory()
