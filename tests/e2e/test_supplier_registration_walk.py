"""In a real browser, one supplier's registration from the first step to verification (issue 4).

A company registers in Persian, fills every step of the wizard, uploads its
three required documents and submits. An officer signs in with a TOTP code and
sends the registration back with a reason on the tax id. The company reads the
reason, fixes the tax id and submits again; the officer verifies it. Then the
auditor, signed in with a TOTP code, reads the supplier's timeline: every step,
in order, with who did it and why. Three people, three browser sessions.
"""

import datetime
import io
import json
import re

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import translation
from django.utils.functional import empty
from django.utils.text import capfirst
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Membership, Role
from audit.models import Event
from core import jalali
from core.storage import private_storage
from suppliers.models import ChangeRequest, Supplier, SupplierDocument, SupplierState
from tests.factories import PASSWORD, UserFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEGAL_NAME = "Alborz Road Builders Ltd."
LEGAL_NAME_FA = "شرکت راه‌سازان البرز"
REGISTRATION_NUMBER = "10320885412"
WRONG_TAX_ID = "411111111111"
# The corrected tax id, typed on a Persian keyboard: it is stored with Latin digits.
RIGHT_TAX_ID = "411987654321"
RIGHT_TAX_ID_TYPED = "۴۱۱۹۸۷۶۵۴۳۲۱"
REASON = (
    "شناسه مالیاتی 411111111111 با گواهی مالیاتی یکی نیست؛ شماره‌ی درج‌شده در گواهی را وارد کنید."
)
VERIFY_NOTE = "Tax id now matches the tax clearance certificate."
DOCUMENTS = [
    ("registration_certificate", "گواهی-ثبت-شرکت.pdf"),
    ("tax_clearance", "مفاصاحساب-مالیاتی.pdf"),
    ("social_security", "social-security-clearance.pdf"),
]
TODAY = datetime.date.today()
ISSUED_ON = TODAY - datetime.timedelta(days=60)
EXPIRES_ON = TODAY + datetime.timedelta(days=365)


@pytest.fixture(autouse=True)
def _fresh_private_storage():
    """The uploads land in an empty in-memory private storage, forgotten afterwards."""
    storages._storages.pop("private", None)
    private_storage._wrapped = empty
    yield
    storages._storages.pop("private", None)
    private_storage._wrapped = empty


@pytest.fixture
def people():
    """A company's future administrator, a procurement officer and an auditor (both with TOTP)."""
    return {
        "supplier": UserFactory(email="admin@alborz.example", name="Sara Ahmadi"),
        "officer": make_member(Role.VERIFIER, email="officer@roads.example", name="Omid Officer"),
        "auditor": make_member(Role.AUDITOR, email="auditor@oversight.example", name="Ava Auditor"),
    }


def current_code(user) -> str:
    """The code the user's authenticator app shows right now."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def sign_in(page, live_server, screenshot, who: str, user, next_path: str, *, second_factor: bool):
    """Password, then (for officials) the TOTP code; the user lands on `next_path`."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("input[name=username]", user.email)
    page.fill("input[name=password]", PASSWORD)
    screenshot(page, f"{who}-login")
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if second_factor:
        assert "/accounts/two-factor/" in page.url
        page.fill("input[name=otp_token]", current_code(user))
        screenshot(page, f"{who}-two-factor")
        with page.expect_navigation():
            page.press("input[name=otp_token]", "Enter")
    assert page.url == f"{live_server.url}{next_path}"


def submit(page, selector: str):
    """Click a submit button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(selector)


def assert_persian(page):
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("fa", "rtl")
    assert page.locator("link[href*='bootstrap.rtl']").count() == 1


def persian(text) -> str:
    with translation.override("fa"):
        return str(text)


def english(text) -> str:
    with translation.override("en"):
        return str(text)


def make_pdf(tmp_path, name: str, kind: str):
    path = tmp_path / name
    path.write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
        + f"% {kind}\n".encode()
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return path


# --- The supplier, in Persian -----------------------------------------------------------------


def supplier_registers_and_submits(page, live_server, screenshot, tmp_path, user) -> Supplier:
    step = r"/suppliers/(\d+)/edit/{}/$"

    # the registration starts with the legal name and the country
    assert_persian(page)
    page.fill("input[name=legal_name]", LEGAL_NAME)
    page.select_option("select[name=country]", "IR")
    screenshot(page, "fa-supplier-register")
    submit(page, "main form button[type=submit]")
    match = re.search(step.format("company"), page.url)
    assert match, page.url
    supplier = Supplier.objects.get(pk=int(match.group(1)))
    assert (supplier.legal_name, supplier.country, supplier.state) == (
        LEGAL_NAME,
        "IR",
        SupplierState.DRAFT,
    )

    # step 1: the company
    assert_persian(page)
    assert page.input_value("input[name=legal_name]") == LEGAL_NAME
    page.fill("input[name=legal_name_fa]", LEGAL_NAME_FA)
    page.fill("input[name=registration_number]", REGISTRATION_NUMBER)
    page.fill("input[name=tax_id]", WRONG_TAX_ID)
    assert page.input_value("select[name=country]") == "IR"
    screenshot(page, "fa-supplier-step-company")
    submit(page, "main form button[type=submit]")
    assert re.search(step.format("address"), page.url), page.url

    # step 2: address and contacts
    assert_persian(page)
    page.fill("input[name=address_line]", "تهران، خیابان ولیعصر، پلاک ۱۲")
    page.fill("input[name=city]", "تهران")
    page.fill("input[name=postal_code]", "1411713111")
    page.fill("input[name=contact_email]", "office@alborz.example")
    page.fill("input[name=contact_phone]", "+98 21 8877 6655")
    page.fill("input[name=website]", "https://alborz.example")
    screenshot(page, "fa-supplier-step-address")
    submit(page, "main form button[type=submit]")
    assert re.search(step.format("categories"), page.url), page.url

    # step 3: categories, one found by searching and ticked, one typed in Persian digits
    assert_persian(page)
    page.fill("input[name=q]", "4523312")
    submit(page, "form[role=search] button[type=submit]")
    assert page.url.endswith("/edit/categories/?q=4523312")
    page.check("#cpv-45233120-6")
    page.fill("input[name=code]", "۴۵۲۲۱۱۱۱-۳")
    screenshot(page, "fa-supplier-step-categories-search")
    submit(page, "button[name=action][value=add]:not(.visually-hidden)")
    assert page.locator(".cpv-chosen li code").all_inner_texts() == ["45233120-6", "45221111-3"]
    screenshot(page, "fa-supplier-step-categories-chosen")
    submit(page, "button[name=action][value=continue]")
    assert re.search(step.format("representatives"), page.url), page.url

    # step 4: representatives: the administrator is already one
    assert_persian(page)
    assert page.locator("table.representatives tbody tr").count() == 1
    assert user.email in page.locator("table.representatives tbody").inner_text()
    screenshot(page, "fa-supplier-step-representatives")
    with page.expect_navigation():
        page.click("main a.btn-primary[href$='/edit/documents/']")
    assert re.search(step.format("documents"), page.url), page.url

    # step 5: the three required documents, each a small PDF
    assert_persian(page)
    screenshot(page, "fa-supplier-step-documents-empty")
    for kind, name in DOCUMENTS:
        page.select_option("select[name=kind]", kind)
        # Persian pages take Jalali dates, here typed with Persian digits.
        page.fill("input[name=issued_on]", jalali.format_date(ISSUED_ON))
        page.fill("input[name=expires_on]", jalali.format_date(EXPIRES_ON))
        page.set_input_files("input[name=file]", make_pdf(tmp_path, name, kind))
        submit(page, "main form[enctype='multipart/form-data'] button[type=submit]")
        assert re.search(step.format("documents"), page.url), page.url
        assert page.locator(".invalid-feedback, .errorlist").count() == 0
        assert page.locator(".messages .alert-success").count() == 1
    assert_persian(page)
    table = page.locator("table.supplier-documents tbody")
    for _kind, name in DOCUMENTS:
        assert table.locator(f"a:has-text('{name}')").count() == 1
    screenshot(page, "fa-supplier-step-documents-uploaded")
    with page.expect_navigation():
        page.click("main a.btn-primary[href$='/edit/review/']")
    assert re.search(step.format("review"), page.url), page.url

    # step 6: review, nothing missing, and submit
    assert_persian(page)
    assert page.locator(".missing").count() == 0
    screenshot(page, "fa-supplier-step-review")
    submit(page, "main form[method=post] button[type=submit]")
    assert page.url == f"{live_server.url}/suppliers/{supplier.pk}/"
    assert_persian(page)
    assert page.locator(".supplier-state").inner_text() == persian(SupplierState.SUBMITTED.label)
    screenshot(page, "fa-supplier-status-submitted")

    supplier.refresh_from_db()
    return supplier


def supplier_fixes_the_tax_id(page, live_server, screenshot, supplier):
    # the status page shows what the officer asked, and why
    page.goto(f"{live_server.url}/suppliers/{supplier.pk}/")
    assert_persian(page)
    assert page.locator(".supplier-state").inner_text() == persian(
        SupplierState.CHANGES_REQUESTED.label
    )
    asked = page.locator("main .alert-warning[role=alert] li")
    assert asked.count() == 1
    assert asked.locator(".fw-semibold").inner_text() == persian(
        capfirst(Supplier._meta.get_field("tax_id").verbose_name)
    )
    assert asked.locator("bdi").inner_text() == REASON
    screenshot(page, "fa-supplier-status-changes-requested")

    # "fix it" leads to the company step, the tax id marked with the reason
    with page.expect_navigation():
        asked.locator("a").click()
    assert page.url == f"{live_server.url}/suppliers/{supplier.pk}/edit/company/"
    assert_persian(page)
    assert "border-warning" in page.get_attribute("input[name=tax_id]", "class")
    assert REASON in page.locator("#id_tax_id_helptext").inner_text()
    assert page.locator(".wizard-steps .badge.text-bg-warning").count() == 1
    page.fill("input[name=tax_id]", RIGHT_TAX_ID_TYPED)
    screenshot(page, "fa-supplier-step-company-fixing-tax-id")
    submit(page, "main form button[type=submit]")
    assert page.url == f"{live_server.url}/suppliers/{supplier.pk}/edit/address/"

    # and submits again from the review step
    with page.expect_navigation():
        page.click(".wizard-steps a[href$='/edit/review/']")
    assert_persian(page)
    assert page.locator(".missing").count() == 0
    screenshot(page, "fa-supplier-step-review-resubmit")
    submit(page, "main form[method=post] button[type=submit]")
    assert page.url == f"{live_server.url}/suppliers/{supplier.pk}/"
    assert page.locator(".supplier-state").inner_text() == persian(SupplierState.SUBMITTED.label)
    screenshot(page, "fa-supplier-status-resubmitted")


# --- The officer, in English ------------------------------------------------------------------


def officer_requests_a_change(page, live_server, screenshot, supplier):
    # the registration waits in the queue
    assert page.locator("table.review-queue tbody tr").count() == 1
    row = page.locator(f"#supplier-{supplier.pk}")
    assert REGISTRATION_NUMBER in row.inner_text()
    screenshot(page, "en-officer-queue")
    with page.expect_navigation():
        row.locator("a").click()
    assert page.url == f"{live_server.url}/suppliers/review/{supplier.pk}/"

    # every document is there to see
    links = page.locator("ul.supplier-documents a")
    assert sorted(links.all_inner_texts()) == sorted(name for _kind, name in DOCUMENTS)
    screenshot(page, "en-officer-detail-submitted")

    # the officer asks for the tax id to be corrected, with a reason
    page.fill("#request_changes_field_tax_id", REASON)
    screenshot(page, "en-officer-request-changes-filled")
    submit(page, "#decision-request_changes button[type=submit]")
    assert page.url == f"{live_server.url}/suppliers/review/{supplier.pk}/"
    assert page.locator(".supplier-state").inner_text() == english(
        SupplierState.CHANGES_REQUESTED.label
    )
    change_request = page.locator(".change-request")
    assert change_request.count() == 1
    assert change_request.locator("dd").inner_text() == REASON
    screenshot(page, "en-officer-detail-changes-requested")


def officer_verifies(page, live_server, screenshot, supplier):
    page.goto(f"{live_server.url}/suppliers/review/")
    with page.expect_navigation():
        page.locator(f"#supplier-{supplier.pk} a").click()
    assert page.locator(".supplier-state").inner_text() == english(SupplierState.SUBMITTED.label)
    page.fill("#verify_note", VERIFY_NOTE)
    screenshot(page, "en-officer-detail-resubmitted")
    submit(page, "#decision-verify button[type=submit]")
    assert page.url == f"{live_server.url}/suppliers/review/{supplier.pk}/"
    assert page.locator(".supplier-state").inner_text() == english(SupplierState.VERIFIED.label)
    screenshot(page, "en-officer-detail-verified")


# --- The auditor, in Persian ------------------------------------------------------------------

EXPECTED_TIMELINE = [
    # (action, actor, reason)
    ("supplier.registered", "supplier", ""),
    ("supplier.updated", "supplier", ""),  # company
    ("supplier.updated", "supplier", ""),  # address and contacts
    ("supplier.updated", "supplier", ""),  # categories
    ("supplier.document_uploaded", "supplier", ""),
    ("supplier.document_uploaded", "supplier", ""),
    ("supplier.document_uploaded", "supplier", ""),
    ("supplier.submitted", "supplier", ""),
    ("supplier.changes_requested", "officer", f"Tax identification number: {REASON}"),
    ("supplier.updated", "supplier", ""),  # the tax id fixed
    ("supplier.submitted", "supplier", ""),
    ("supplier.verified", "officer", VERIFY_NOTE),
]


def payload(row) -> dict:
    # "What happened" (the third column) holds the payload as recorded, under its sentence
    return json.loads(row.locator(":scope > td:nth-child(3) pre").text_content())


def auditor_reads_the_timeline(page, screenshot, people):
    assert_persian(page)
    rows = page.locator("table.audit-events tbody tr")
    screenshot(page, "fa-auditor-supplier-timeline")
    rows = page.locator("table.audit-events > tbody > tr")
    seen = [
        (
            row.locator(":scope > td:nth-child(3) > small code").inner_text(),
            # "Who": the person and their address, then the organisation and the role
            "\n".join(row.locator(":scope > td:nth-child(2)").inner_text().strip().split("\n")[:2]),
            row.locator(":scope > td:nth-child(5)").inner_text().strip(),
        )
        for row in rows.all()
    ]
    # each actor by name, with the address under it (from beside the chain, never in it)
    actors = {who: f"{user.name}\n{user.email}" for who, user in people.items()}
    assert seen == [(action, actors[who], reason) for action, who, reason in EXPECTED_TIMELINE]

    # what each step changed is in its details
    updates = [row for row in rows.all() if "supplier.updated" in row.inner_text()]
    assert payload(updates[0])["changed"] == {
        "legal_name_fa": {"from": "", "to": LEGAL_NAME_FA},
        "registration_number": {"from": "", "to": REGISTRATION_NUMBER},
        "tax_id": {"from": "", "to": WRONG_TAX_ID},
    }
    # contact details may be a person's: the record says they changed, never to what
    assert payload(updates[1])["changed"]["contact_email"] == {"changed": True}
    assert payload(updates[2])["changed"] == {
        "cpv_codes": {"from": [], "to": ["45233120-6", "45221111-3"]}
    }
    assert payload(updates[3]) == {
        "changed": {"tax_id": {"from": WRONG_TAX_ID, "to": RIGHT_TAX_ID}}
    }
    uploads = [row for row in rows.all() if "supplier.document_uploaded" in row.inner_text()]
    assert [(payload(row)["kind"], payload(row)["version"]) for row in uploads] == [
        (kind, 1) for kind, _name in DOCUMENTS
    ]
    requested = rows.nth(8)
    assert payload(requested)["items"] == [
        {"target_type": "field", "target": "tax_id", "reason": REASON}
    ]
    assert payload(rows.nth(7)) == {"from": "draft", "to": "submitted", "resubmission": False}
    assert payload(rows.nth(10)) == {
        "from": "changes_requested",
        "to": "submitted",
        "resubmission": True,
    }


# --- The walk --------------------------------------------------------------------------------


def test_a_company_registers_in_persian_is_sent_back_fixes_it_and_is_verified(
    open_session, live_server, screenshot, tmp_path, people
):
    supplier_page = open_session("fa-IR")
    officer_page = open_session("en-US")
    auditor_page = open_session("fa-IR")

    # given a company's administrator signed in with a Persian browser
    sign_in(
        supplier_page,
        live_server,
        screenshot,
        "fa-supplier",
        people["supplier"],
        "/suppliers/register/",
        second_factor=False,
    )

    # when the company registers, uploads its documents and submits
    supplier = supplier_registers_and_submits(
        supplier_page, live_server, screenshot, tmp_path, people["supplier"]
    )

    # then the registration is submitted, complete, with the administrator as its admin
    assert supplier.state == SupplierState.SUBMITTED
    assert (
        supplier.legal_name_fa,
        supplier.registration_number,
        supplier.tax_id,
        supplier.city,
        supplier.contact_phone,
        supplier.website,
        supplier.cpv_codes,
    ) == (
        LEGAL_NAME_FA,
        REGISTRATION_NUMBER,
        WRONG_TAX_ID,
        "تهران",
        "+982188776655",  # stored whole (E.164), however it was typed
        "https://alborz.example",
        ["45233120-6", "45221111-3"],
    )
    assert list(
        SupplierDocument.objects.filter(supplier=supplier)
        .order_by("pk")
        .values_list("kind", "original_name", "version", "is_current", "issued_on", "expires_on")
    ) == [(kind, name, 1, True, ISSUED_ON, EXPIRES_ON) for kind, name in DOCUMENTS]
    assert Membership.objects.get(organisation=supplier.organisation).user == people["supplier"]

    # when an officer signs in with a TOTP code and asks for the tax id to be corrected
    sign_in(
        officer_page,
        live_server,
        screenshot,
        "en-officer",
        people["officer"],
        "/suppliers/review/",
        second_factor=True,
    )
    officer_requests_a_change(officer_page, live_server, screenshot, supplier)

    # then the registration is back with the company, the reason on record
    supplier.refresh_from_db()
    assert supplier.state == SupplierState.CHANGES_REQUESTED
    change_request = ChangeRequest.objects.get(supplier=supplier)
    assert list(change_request.items.values_list("target_type", "target", "reason")) == [
        ("field", "tax_id", REASON)
    ]

    # when the company reads the reason, fixes the tax id and submits again
    supplier_fixes_the_tax_id(supplier_page, live_server, screenshot, supplier)

    # then it is submitted again with the corrected tax id, the change request resolved
    supplier.refresh_from_db()
    change_request.refresh_from_db()
    assert (supplier.state, supplier.tax_id) == (SupplierState.SUBMITTED, RIGHT_TAX_ID)
    assert change_request.resolved_at == supplier.submitted_at

    # when the officer verifies it
    officer_verifies(officer_page, live_server, screenshot, supplier)

    # then the company is verified and may bid
    supplier.refresh_from_db()
    assert supplier.state == SupplierState.VERIFIED
    assert supplier.verified_at is not None
    supplier_page.goto(f"{live_server.url}/suppliers/{supplier.pk}/")
    assert_persian(supplier_page)
    assert supplier_page.locator(".supplier-state").inner_text() == persian(
        SupplierState.VERIFIED.label
    )
    assert supplier_page.locator(".eligibility.alert-success").count() == 1
    screenshot(supplier_page, "fa-supplier-status-verified")

    # when the auditor signs in with a TOTP code and opens the supplier's timeline
    timeline = f"/audit/object/suppliers.supplier/{supplier.pk}/"
    sign_in(
        auditor_page,
        live_server,
        screenshot,
        "fa-auditor",
        people["auditor"],
        timeline,
        second_factor=True,
    )

    # then every step is there, in order, with its actor and its reason
    auditor_reads_the_timeline(auditor_page, screenshot, people)
    assert Event.objects.filter(
        object_type="suppliers.supplier", object_id=str(supplier.pk)
    ).count() == len(EXPECTED_TIMELINE)

    # and the whole audit trail is intact
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("Audit trail intact: ")
