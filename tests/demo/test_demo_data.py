"""`manage.py demo_data`: every role gets an account, twice changes nothing, production refuses."""

import base64
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, demo_totp_key
from accounts.models import Membership, Organisation, OrganisationKind, Role, User
from audit.chain import event_hash
from audit.models import GENESIS_HASH, ChainHead, Event
from core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "memberships": Membership.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "events": Event.objects.count(),
        "outbox": OutboxMessage.objects.count(),
    }


def load(**options) -> str:
    out = io.StringIO()
    options.setdefault("accounts_only", True)
    call_command("demo_data", stdout=out, **options)
    return out.getvalue()


def test_demo_data_creates_the_organisations_and_one_account_per_role():
    # given an empty database
    # when
    output = load()

    # then
    assert counts() == {
        "users": 13,
        "organisations": 4,
        "memberships": 14,
        "devices": 10,
        "events": 41,
        "outbox": 0,
    }
    assert list(Organisation.objects.order_by("name").values_list("kind", "name", "name_fa")) == [
        (OrganisationKind.SUPPLIER, "Alborz Construction Co.", "شرکت ساختمانی البرز"),
        (
            OrganisationKind.PROCURING_ENTITY,
            "Ministry of Roads and Urban Development",
            "وزارت راه و شهرسازی",
        ),
        (OrganisationKind.OVERSIGHT, "Public Procurement Authority", "سازمان تدارکات عمومی"),
        (OrganisationKind.SUPPLIER, "Zagros Engineering Ltd.", "شرکت مهندسی زاگرس"),
    ]
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    committee = Membership.objects.filter(
        role=Role.COMMITTEE_MEMBER,
        organisation__name="Ministry of Roads and Urban Development",
    )
    assert committee.count() == 3
    assert "Demo data loaded: 41 objects created." in output


def test_every_official_has_a_confirmed_device_with_the_published_secret():
    # given
    load()
    officer = User.objects.get(email="officer@roads.example")
    device = TOTPDevice.objects.get(user=officer)

    # when the officer types the code an authenticator app shows for the published secret
    secret = "YSDLZBM7J6IMOPHGISQZHA2IFBI7NNDU"
    code = f"{totp(base64.b32decode(secret)):06d}"

    # then
    assert base64.b32encode(demo_totp_key("officer@roads.example")).decode() == secret
    assert device.confirmed is True
    assert device.verify_token(code) is True
    assert check_password(DEMO_PASSWORD, officer.password) is True
    assert officer.email_verified is True
    two_factor_users = set(TOTPDevice.objects.values_list("user__email", flat=True))
    assert two_factor_users == {
        "officer@roads.example",
        "committee1@roads.example",
        "committee2@roads.example",
        "committee3@roads.example",
        "evaluator@roads.example",
        "approver@roads.example",
        "contracts@roads.example",
        "auditor@ppa.example",
        "verifier@ppa.example",
        "admin@ppa.example",
    }
    table = [line.split("  ") for line in load().splitlines()]
    rows = [[cell.strip() for cell in row if cell.strip()] for row in table]
    assert ["officer@roads.example", "panjere-demo", "Procurement officer", secret] in rows


def test_only_the_platform_administrator_is_a_superuser():
    # when
    load()

    # then
    assert list(User.objects.filter(is_superuser=True).values_list("email", flat=True)) == [
        "admin@ppa.example"
    ]
    assert list(User.objects.filter(is_staff=True).values_list("email", flat=True)) == [
        "admin@ppa.example"
    ]


def test_running_demo_data_twice_changes_nothing():
    # given
    load()
    before = counts()
    head_before = ChainHead.objects.values_list("seq", "hash").get()
    passwords_before = dict(User.objects.values_list("email", "password"))
    keys_before = dict(TOTPDevice.objects.values_list("user__email", "key"))

    # when
    output = load()

    # then
    assert counts() == before
    assert ChainHead.objects.values_list("seq", "hash").get() == head_before
    assert dict(User.objects.values_list("email", "password")) == passwords_before
    assert dict(TOTPDevice.objects.values_list("user__email", "key")) == keys_before
    assert "Demo data already loaded: nothing changed." in output


def test_demo_data_completes_what_is_missing_without_touching_the_rest():
    # given demo data of which one membership was removed and one password changed
    load()
    Membership.objects.filter(user__email="committee2@roads.example").delete()
    auditor = User.objects.get(email="auditor@ppa.example")
    auditor.set_password("a different password")
    auditor.save(update_fields=["password"])
    events_before = Event.objects.count()

    # when
    load()

    # then only the missing membership came back, with its own audit event
    assert Membership.objects.filter(
        user__email="committee2@roads.example", role=Role.COMMITTEE_MEMBER
    ).exists()
    assert counts()["memberships"] == 14
    assert Event.objects.count() == events_before + 1
    assert Event.objects.last().object_type == "accounts.membership"
    auditor.refresh_from_db()
    assert auditor.check_password("a different password") is True


def test_demo_data_is_on_an_unbroken_audit_chain_without_secrets():
    # when
    load()

    # then every event links to the previous one and its hash is right
    events = list(Event.objects.order_by("seq"))
    assert [event.action for event in events] == ["demo.loaded"] * 41
    previous = GENESIS_HASH
    for seq, event in enumerate(events, start=1):
        assert event.seq == seq
        assert event.prev_hash == previous
        assert event.hash == event_hash(event)
        previous = event.hash
    assert ChainHead.objects.get().hash == previous
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith(f"Audit trail intact: 41 events, head {previous}, root ")
    # and no payload holds a password or a TOTP secret (hex or base32)
    secrets = {DEMO_PASSWORD}
    for device in TOTPDevice.objects.all():
        secrets |= {device.key, base64.b32encode(device.bin_key).decode()}
    recorded = " ".join(str(event.payload) + event.object_repr for event in events)
    assert not [secret for secret in secrets if secret in recorded]


def test_demo_data_is_refused_where_it_is_not_allowed(settings):
    # given a deployment that forbids demo data
    settings.PANJERE_DEMO_DATA_ALLOWED = False

    # when
    with pytest.raises(CommandError) as refusal:
        load()

    # then nothing was written
    assert str(refusal.value).startswith(
        "Demo data is not allowed here (PANJERE_DEMO_DATA_ALLOWED is False)."
    )
    assert counts() == {
        "users": 0,
        "organisations": 0,
        "memberships": 0,
        "devices": 0,
        "events": 0,
        "outbox": 0,
    }
    assert ChainHead.objects.get().seq == 0


def test_the_readme_lists_every_demo_account_with_its_real_secret():
    # given the accounts table of the README
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    listed = dict(
        re.findall(r"^\| `([^`]+@[^`]+)` \|.*\| (?:`([A-Z2-7]{32})`|—) \|$", readme, re.M)
    )

    # when the demo data is loaded
    load()

    # then the README names every account, with the secret its device really has
    actual = {user.email: "" for user in User.objects.all()} | {
        device.user.email: base64.b32encode(device.bin_key).decode()
        for device in TOTPDevice.objects.select_related("user")
    }
    assert listed == actual
    assert f"Every account's password is **`{DEMO_PASSWORD}`**." in readme


def test_demo_data_also_loads_suppliers_and_tenders_in_every_state():
    # given an empty database
    # when
    output = load(accounts_only=False)
    again = load(accounts_only=False)

    # then
    from suppliers.models import Supplier

    assert sorted(Supplier.objects.values_list("state", flat=True)) == [
        "changes_requested",
        "debarred",
        "draft",
        "submitted",
        "submitted",
        "suspended",
        "verified",
    ]
    assert output.count("Demo supplier:") == 7
    assert "Demo data already loaded: nothing changed." in again

    # and tenders in each state the tender work covers, one with an answer and an amendment
    from tenders.models import Amendment, Clarification, Tender

    assert list(Tender.objects.order_by("reference").values_list("reference", "state")) == [
        ("T-DEMO-001", "published"),
        ("T-DEMO-002", "published"),
        ("T-DEMO-003", "awaiting_approval"),
        ("T-DEMO-004", "draft"),
        ("T-DEMO-005", "cancelled"),
    ]
    assert output.count("Demo tender:") == 5
    # each amount in its currency: one tender in euros, the others in rials
    assert [
        (t.reference, str(t.estimated_value), str(t.document_fee))
        for t in Tender.objects.order_by("reference")
    ] == [
        ("T-DEMO-001", "125000000000.00 IRR", "5000000.00 IRR"),
        ("T-DEMO-002", "3800000.00 EUR", "50.00 EUR"),
        ("T-DEMO-003", "9000000000.00 IRR", "5000000.00 IRR"),
        ("T-DEMO-004", "14000000000.00 IRR", "5000000.00 IRR"),
        ("T-DEMO-005", "45000000000.00 IRR", "5000000.00 IRR"),
    ]
    from tenders.models import Lot

    assert [
        (lot.tender.reference, lot.number, str(lot.estimated_value), str(lot.bid_security))
        for lot in Lot.objects.select_related("tender").order_by("tender__reference", "number")
    ] == [
        ("T-DEMO-001", 1, "60000000000.00 IRR", "1200000000.00 IRR"),
        ("T-DEMO-001", 2, "65000000000.00 IRR", "1300000000.00 IRR"),
        ("T-DEMO-002", 1, "3800000.00 EUR", "76000.00 EUR"),
        ("T-DEMO-003", 1, "9000000000.00 IRR", "180000000.00 IRR"),
        ("T-DEMO-005", 1, "60000000000.00 IRR", "1200000000.00 IRR"),
    ]
    assert "Demo tender:" not in again
    # the openers' keys, made under the README's demo passphrases, hold the published keys
    from panjere_client import member_keys, shares
    from tenders.models import KeyShare, MemberKey, TenderKey

    assert output.count("Demo opening key:") == 3
    assert "Demo opening key:" not in again
    assert sorted(MemberKey.objects.values_list("user__email", flat=True)) == [
        "committee1@roads.example",
        "committee2@roads.example",
        "committee3@roads.example",
    ]
    assert list(
        TenderKey.objects.order_by("tender__reference").values_list(
            "tender__reference", "kind", "threshold"
        )
    ) == [
        ("T-DEMO-001", "single", 2),
        ("T-DEMO-002", "single", 2),
        ("T-DEMO-005", "single", 2),
    ]
    assert KeyShare.objects.count() == 9
    share = KeyShare.objects.select_related("tender_key__tender", "member", "member_key").first()
    private_key = member_keys.unlock(
        member_keys.MemberKeyFile.loads(share.member_key.key_file),
        f"{share.member.email.split('@')[0]} demo opening key",
    )
    opened = shares.open_share(
        share.sealed_share,
        private_key=private_key,
        context={
            "tender": share.tender_key.tender.ocid,
            "kind": "single",
            "member": str(share.member_id),
            "tender_key": share.tender_key.fingerprint,
        },
    )
    assert len(opened) == 33
    road = Tender.objects.get(reference="T-DEMO-001")
    assert road.lots.count() == 2
    assert Clarification.objects.filter(tender=road).exclude(answer="").count() == 1
    assert Amendment.objects.filter(tender=road).values_list("number", flat=True).get() == 1
    # and documents, one revised by the amendment (its first version stays listed)
    from tenders.models import TenderDocument

    documents = TenderDocument.objects.filter(tender=road).order_by("title", "version")
    assert [
        (d.title, d.version, d.is_current, d.amendment.number if d.amendment else None)
        for d in documents
    ] == [
        ("Bill of quantities", 1, False, None),
        ("Bill of quantities", 2, True, 1),
        ("Instructions to bidders", 1, True, None),
    ]
    assert TenderDocument.objects.filter(tender__reference="T-DEMO-004").count() == 2
