"""The demo's organisations and one account per role (the first step of `manage.py demo_data`).

Idempotent: it creates what is missing and never changes what exists, so a
second run writes nothing. Every account it creates has a published password,
and every official a TOTP device with a published secret, which is why the
`demo` app's command refuses to run unless settings.PANJERE_DEMO_DATA_ALLOWED
(False in production). It writes the rows itself rather than through the
accounts services, because it bootstraps the very administrator those
services require as `actor`; each object it creates is on the audit trail
(`demo.loaded`).
"""

import base64
import hashlib
from dataclasses import dataclass

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import (
    TWO_FACTOR_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from audit.services import record

# Public on purpose: this is the demo, and production refuses to load it.
DEMO_PASSWORD = "panjere-demo"  # noqa: S105
DEVICE_NAME = "Demo authenticator"
ACTION = "demo.loaded"


@dataclass(frozen=True)
class DemoOrganisation:
    key: str
    kind: str
    name: str
    name_fa: str


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    organisation: str
    roles: tuple[str, ...]
    is_superuser: bool = False


ORGANISATIONS = (
    DemoOrganisation(
        "roads",
        OrganisationKind.PROCURING_ENTITY,
        "Ministry of Roads and Urban Development",
        "وزارت راه و شهرسازی",
    ),
    DemoOrganisation(
        "ppa", OrganisationKind.OVERSIGHT, "Public Procurement Authority", "سازمان تدارکات عمومی"
    ),
    DemoOrganisation(
        "alborz", OrganisationKind.SUPPLIER, "Alborz Construction Co.", "شرکت ساختمانی البرز"
    ),
    DemoOrganisation(
        "zagros", OrganisationKind.SUPPLIER, "Zagros Engineering Ltd.", "شرکت مهندسی زاگرس"
    ),
)

USERS = (
    DemoUser("admin@alborz.example", "Reza Karimi", "alborz", (Role.SUPPLIER_ADMIN,)),
    DemoUser("bidder@alborz.example", "Maryam Hosseini", "alborz", (Role.BIDDER,)),
    DemoUser("admin@zagros.example", "Ali Rahimi", "zagros", (Role.SUPPLIER_ADMIN, Role.BIDDER)),
    DemoUser("officer@roads.example", "Sara Ahmadi", "roads", (Role.PROCUREMENT_OFFICER,)),
    DemoUser("committee1@roads.example", "Hassan Moradi", "roads", (Role.COMMITTEE_MEMBER,)),
    DemoUser("committee2@roads.example", "Leila Jafari", "roads", (Role.COMMITTEE_MEMBER,)),
    DemoUser("committee3@roads.example", "Mehdi Sadeghi", "roads", (Role.COMMITTEE_MEMBER,)),
    DemoUser("evaluator@roads.example", "Narges Kazemi", "roads", (Role.EVALUATOR,)),
    DemoUser("approver@roads.example", "Davood Mohammadi", "roads", (Role.APPROVER,)),
    DemoUser("contracts@roads.example", "Fatemeh Rostami", "roads", (Role.CONTRACT_MANAGER,)),
    DemoUser("auditor@ppa.example", "Parisa Ebrahimi", "ppa", (Role.AUDITOR,)),
    DemoUser("verifier@ppa.example", "Nima Farahani", "ppa", (Role.VERIFIER,)),
    DemoUser("admin@ppa.example", "Kaveh Azizi", "ppa", (Role.PLATFORM_ADMIN,), is_superuser=True),
)


def demo_totp_key(email: str) -> bytes:
    """The fixed 20-byte TOTP secret of a demo account (the README lists it in base32)."""
    return hashlib.sha256(f"panjere-demo-totp:{email}".encode()).digest()[:20]


def needs_two_factor(demo_user: DemoUser) -> bool:
    return demo_user.is_superuser or bool(set(demo_user.roles) & TWO_FACTOR_ROLES)


def load_demo_accounts() -> int:
    """Create whatever demo organisation, account, role or device is missing; return how many."""
    created = 0
    organisations = {}
    for demo in ORGANISATIONS:
        organisation, made = Organisation.objects.get_or_create(
            kind=demo.kind,
            name=demo.name,
            defaults={"name_fa": demo.name_fa, "country": "IR"},
        )
        organisations[demo.key] = organisation
        if made:
            created += 1
            record(
                action=ACTION,
                obj=organisation,
                payload={"organisation": demo.name, "kind": demo.kind},
            )
    for demo in USERS:
        organisation = organisations[demo.organisation]
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(
                email=demo.email,
                password=DEMO_PASSWORD,
                name=demo.name,
                email_verified_at=timezone.now(),
                is_staff=demo.is_superuser,
                is_superuser=demo.is_superuser,
            )
            created += 1
            record(
                action=ACTION,
                obj=user,
                payload={"user_id": user.pk, "superuser": demo.is_superuser},
            )
        for role in demo.roles:
            membership, made = Membership.objects.get_or_create(
                user=user, organisation=organisation, role=role
            )
            if made:
                created += 1
                record(
                    action=ACTION,
                    obj=membership,
                    organisation=organisation,
                    role=role,
                    payload={"user_id": user.pk, "role": role},
                )
        if (
            needs_two_factor(demo)
            and not TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).exists()
        ):
            TOTPDevice.objects.create(
                user=user,
                name=DEVICE_NAME,
                key=demo_totp_key(demo.email).hex(),
                confirmed=True,
            )
            created += 1
            # The device's secret is never on the record; only that it exists.
            record(
                action=ACTION,
                obj=user,
                payload={"user_id": user.pk, "device": "totp", "confirmed": True},
            )
    return created


def print_demo_accounts(stdout, style, created: int) -> None:
    """Print every demo account with its password and TOTP secret, and what this run created."""
    rows = []
    uris = []
    for demo in USERS:
        user = User.objects.get(email=demo.email)
        roles = ", ".join(str(Role(role).label) for role in demo.roles)
        device = TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).first()
        secret = base64.b32encode(device.bin_key).decode() if device else "-"
        rows.append((demo.email, DEMO_PASSWORD, roles, secret))
        if device:
            uris.append(device.config_url)
    headers = ("email", "password", "role", "TOTP secret (base32)")
    widths = [max(len(row[i]) for row in (headers, *rows)) for i in range(len(headers))]
    line = "  ".join(f"{{:<{width}}}" for width in widths)
    stdout.write(line.format(*headers).rstrip())
    stdout.write(line.format(*("-" * width for width in widths)).rstrip())
    for row in rows:
        stdout.write(line.format(*row).rstrip())
    stdout.write("\notpauth URIs (paste into an authenticator app, or make a QR code):")
    for uri in uris:
        stdout.write(f"  {uri}")
    if created:
        stdout.write(style.SUCCESS(f"\nDemo data loaded: {created} objects created."))
    else:
        stdout.write(style.SUCCESS("\nDemo data already loaded: nothing changed."))


def demo_person(*, email: str, name: str) -> User:
    """A demo account with a verified address and the demo password (made if missing).

    For the demo loaders of the apps above (a demo company's administrator):
    accounts makes its own rows.
    """
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=DEMO_PASSWORD, name=name, email_verified_at=timezone.now()
        )
    return user
