"""The registration wizard in the browser: every step saved, errors on the right field."""

import datetime
import hashlib

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.models import Membership, Role
from audit.models import Event
from core.models import OutboxMessage
from suppliers import services
from suppliers.models import Supplier, SupplierDocument, SupplierState
from suppliers.services import REPRESENTATIVE_INVITATION_TOPIC
from tests.factories import UserFactory, login

from .factories import PDF, pdf, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _step(supplier, slug):
    return reverse(f"suppliers:step_{slug}", args=[supplier.pk])


def _counts():
    return (
        SupplierDocument.objects.count(),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_company_registers_step_by_step(client):
    # given
    user = UserFactory(email="owner@alborz.example", name="Sara Ahmadi")
    login(client, user)

    # when: start
    response = client.post(
        reverse("suppliers:register"),
        {"legal_name": "Alborz Road Builders Co.", "country": "IR"},
    )

    # then
    supplier = Supplier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _step(supplier, "company")
    assert supplier.state == SupplierState.DRAFT
    assert supplier.legal_name == "Alborz Road Builders Co."
    assert supplier.country == "IR"
    assert Membership.objects.get(organisation=supplier.organisation).role == Role.SUPPLIER_ADMIN

    # when: company (the registration number typed with Persian digits)
    response = client.post(
        _step(supplier, "company"),
        {
            "legal_name": "Alborz Road Builders Co.",
            "legal_name_fa": "شرکت راه‌سازان البرز",
            "registration_number": "۱۰۱۰۱۲۳۴۵۶۷",
            "tax_id": "411111111111",
            "country": "IR",
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == _step(supplier, "address")
    supplier.refresh_from_db()
    assert supplier.legal_name_fa == "شرکت راه‌سازان البرز"
    assert supplier.registration_number == "10101234567"
    assert supplier.tax_id == "411111111111"

    # when: address and contacts
    response = client.post(
        _step(supplier, "address"),
        {
            "address_line": "12 Valiasr Street",
            "city": "Tehran",
            "postal_code": "1411713111",
            "contact_email": "office@alborz.example",
            "contact_phone": "+982188776655",
            "website": "https://alborz.example",
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == _step(supplier, "categories")
    supplier.refresh_from_db()
    assert (supplier.address_line, supplier.city, supplier.postal_code) == (
        "12 Valiasr Street",
        "Tehran",
        "1411713111",
    )
    assert supplier.contact_email == "office@alborz.example"
    assert supplier.contact_phone == "+982188776655"
    assert supplier.website == "https://alborz.example"

    # when: categories, searched without JavaScript, then two ticked and added
    page = client.get(_step(supplier, "categories"), {"q": "road bridge"})
    response = client.post(
        _step(supplier, "categories"),
        {"q": "road bridge", "add": ["45221111-3", "45233120-6"], "action": "add"},
    )

    # then
    assert page.status_code == 200
    assert b'value="45221111-3"' in page.content
    assert response.status_code == 302
    assert response["Location"] == _step(supplier, "categories") + "?q=road+bridge"
    supplier.refresh_from_db()
    assert supplier.cpv_codes == ["45221111-3", "45233120-6"]

    # when: one removed, then continue
    client.post(_step(supplier, "categories"), {"remove": "45221111-3"})
    response = client.post(_step(supplier, "categories"), {"action": "continue"})

    # then
    supplier.refresh_from_db()
    assert supplier.cpv_codes == ["45233120-6"]
    assert response["Location"] == _step(supplier, "representatives")

    # when: a bidder without an account is invited
    response = client.post(
        _step(supplier, "representatives"),
        {"email": "Bidder@Alborz.example", "name": "Reza Karimi", "role": "bidder"},
    )

    # then
    assert response.status_code == 302
    invited = get_user_model().objects.get(email="bidder@alborz.example")
    assert invited.has_usable_password() is False
    # an invitation, not a membership: the person becomes a bidder when they accept
    assert Membership.objects.filter(user=invited).exists() is False
    assert list(invited.membership_invitations.values_list("role", "state")) == [
        ("bidder", "pending")
    ]
    assert OutboxMessage.objects.filter(topic=REPRESENTATIVE_INVITATION_TOPIC).count() == 1

    # when: the three required documents
    for kind in ("registration_certificate", "tax_clearance", "social_security"):
        response = client.post(
            _step(supplier, "documents"),
            {
                "kind": kind,
                "issued_on": "2026-01-10",
                "expires_on": "2030-01-01",
                "file": pdf(f"{kind}.pdf"),
            },
        )
        assert response.status_code == 302

    # then
    documents = SupplierDocument.objects.filter(supplier=supplier).order_by("kind")
    assert [(d.kind, d.version, d.sha256) for d in documents] == [
        ("registration_certificate", 1, hashlib.sha256(PDF).hexdigest()),
        ("social_security", 1, hashlib.sha256(PDF).hexdigest()),
        ("tax_clearance", 1, hashlib.sha256(PDF).hexdigest()),
    ]
    page = client.get(_step(supplier, "documents"))
    assert hashlib.sha256(PDF).hexdigest().encode() in page.content

    # when: review and submit
    review = client.get(_step(supplier, "review"))
    response = client.post(_step(supplier, "review"))

    # then
    assert b"The registration is complete." in review.content
    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:detail", args=[supplier.pk])
    supplier.refresh_from_db()
    assert supplier.state == SupplierState.SUBMITTED
    actions = list(
        Event.objects.filter(object_type="suppliers.supplier", object_id=str(supplier.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == [
        "supplier.registered",
        "supplier.updated",  # company
        "supplier.updated",  # address and contacts
        "supplier.updated",  # two categories added
        "supplier.updated",  # one removed ("continue" changed nothing: no event)
        "supplier.document_uploaded",
        "supplier.document_uploaded",
        "supplier.document_uploaded",
        "supplier.submitted",
    ]
    # the invitation is the organisation's record (accounts), not the registration's
    assert (
        Event.objects.filter(
            action="membership.invited", organisation_id=supplier.organisation_id
        ).count()
        == 1
    )
    status = client.get(reverse("suppliers:detail", args=[supplier.pk]))
    assert status.status_code == 200
    assert b"Submitted for verification" in status.content


def test_going_back_shows_the_saved_values(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)

    # when
    response = client.get(_step(supplier, "company"))

    # then
    form = response.context["form"]
    assert form["registration_number"].value() == "10101234567"
    assert form["tax_id"].value() == "411111111111"
    assert form["country"].value() == "IR"
    assert b'value="10101234567"' in response.content
    assert b'<option value="IR" selected>Iran</option>' in response.content


def test_a_refused_upload_shows_the_error_on_the_file_and_saves_nothing(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    before = _counts()

    # when: an executable renamed to .pdf
    response = client.post(
        _step(supplier, "documents"),
        {
            "kind": "tax_clearance",
            "issued_on": "2026-01-10",
            "expires_on": "2030-01-01",
            "file": pdf("tax.pdf", content=EXE),
        },
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "file": ["This type of file is not accepted. Upload a PDF, PNG or JPEG document."]
    }
    assert b'id="id_file_error"' in response.content
    assert _counts() == before
    assert not SupplierDocument.objects.filter(supplier=supplier).exists()


def test_an_expiry_before_the_issue_date_is_an_error_on_the_expiry_date(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    before = _counts()

    # when
    response = client.post(
        _step(supplier, "documents"),
        {
            "kind": "tax_clearance",
            "issued_on": "2026-01-10",
            "expires_on": "2025-01-01",
            "file": pdf(),
        },
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expires_on": ["The expiry date must be after the issue date."]
    }
    assert _counts() == before


def test_a_taken_registration_number_is_an_error_on_its_field(client):
    # given
    registered_supplier(documents=False, registration_number="10105555555")
    supplier, admin = registered_supplier(
        documents=False, registration_number="10107777777", legal_name="Other Co."
    )
    login(client, admin)
    before = _counts()

    # when
    response = client.post(
        _step(supplier, "company"),
        {
            "legal_name": "Other Co.",
            "registration_number": "10105555555",
            "tax_id": "1",
            "country": "IR",
        },
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registration_number": [
            "A supplier with this registration number is already registered in this country."
        ]
    }
    supplier.refresh_from_db()
    assert supplier.registration_number == "10107777777"
    assert _counts() == before


def test_an_unknown_cpv_code_typed_in_is_an_error_on_the_code_field(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    before = _counts()

    # when
    response = client.post(_step(supplier, "categories"), {"code": "45233120-7"})

    # then
    assert response.status_code == 200
    assert response.context["form"].errors == {"code": ["“45233120-7” is not a CPV 2008 code."]}
    supplier.refresh_from_db()
    assert supplier.cpv_codes == ["45233120-6"]
    assert _counts() == before


def test_submitting_an_incomplete_registration_lists_what_is_missing(client):
    # given
    supplier, admin = registered_supplier(documents=False, tax_id="")
    login(client, admin)
    before = _counts()

    # when
    response = client.post(_step(supplier, "review"))

    # then
    assert response.status_code == 200
    assert response.context["errors"] == ["The registration is not complete."]
    assert response.context["missing"] == [
        "Tax identification number is required.",
        "Upload the document: Registration certificate.",
        "Upload the document: Tax clearance certificate.",
        "Upload the document: Social security clearance.",
    ]
    supplier.refresh_from_db()
    assert supplier.state == SupplierState.DRAFT
    assert _counts() == before


def test_a_submitted_registration_cannot_be_changed_in_the_wizard(client):
    # given
    supplier, admin, _officer = supplier_in_state("submitted")
    login(client, admin)
    before = _counts()

    # when
    response = client.post(
        _step(supplier, "company"),
        {
            "legal_name": "Renamed",
            "registration_number": "10101111111",
            "tax_id": "2",
            "country": "IR",
        },
    )

    # then
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The registration cannot be changed while it is being verified."
    ]
    supplier.refresh_from_db()
    assert supplier.legal_name == "Alborz Road Builders Co."
    assert _counts() == before


def test_requested_changes_are_shown_on_their_step_and_the_status_page(client):
    # given: the officer asked to fix tax_id (see factories.supplier_in_state)
    supplier, admin, _officer = supplier_in_state("changes_requested")
    login(client, admin)

    # when
    step = client.get(_step(supplier, "company"))
    status = client.get(reverse("suppliers:detail", args=[supplier.pk]))

    # then
    assert [(c.target, c.reason, c.step) for c in step.context["requested_changes"]] == [
        ("tax_id", "Illegible", "company")
    ]
    assert "Illegible" in str(step.context["form"].fields["tax_id"].help_text)
    assert "border-warning" in step.context["form"].fields["tax_id"].widget.attrs["class"]
    flagged = {s["slug"]: s["flagged"] for s in step.context["steps"]}
    assert flagged == {
        "company": 1,
        "address": 0,
        "categories": 0,
        "representatives": 0,
        "documents": 0,
        "review": 0,
    }
    assert status.status_code == 200
    assert [(c.label, c.reason) for c in status.context["requested_changes"]] == [
        ("Tax identification number", "Illegible")
    ]
    assert [row["label"] for row in status.context["history"]][-2:] == [
        "Submitted for verification",
        "Changes requested",
    ]


def test_an_unknown_country_is_refused_on_its_field(client):
    # given
    user = UserFactory()
    login(client, user)

    # when
    response = client.post(reverse("suppliers:register"), {"legal_name": "X", "country": "XX"})

    # then
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["country"]
    assert not Supplier.objects.exists()
    assert Event.objects.count() == 0


def test_the_status_page_shows_eligibility_reasons(client):
    # given
    supplier, admin = registered_supplier()
    login(client, admin)

    # when
    response = client.get(reverse("suppliers:detail", args=[supplier.pk]))

    # then
    assert response.status_code == 200
    assert [r.code for r in response.context["eligibility"].reasons] == ["supplier.not_verified"]
    assert b"The registration is not verified yet." in response.content


def test_persian_pages_render_right_to_left_with_persian_country_names(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)

    # when
    response = client.get(_step(supplier, "company"), HTTP_ACCEPT_LANGUAGE="fa")

    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert '<option value="IR" selected>ایران، جمهوری اسلامی</option>' in html


def test_expired_document_dates_are_shown_in_the_versions(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    client.post(
        _step(supplier, "documents"),
        {"kind": "licence", "issued_on": "2020-01-10", "expires_on": "2021-01-10", "file": pdf()},
    )

    # when
    response = client.get(_step(supplier, "documents"))

    # then
    row = next(r for r in response.context["rows"] if r["kind"] == "licence")
    assert row["expired"] is True
    assert row["current"].expires_on == datetime.date(2021, 1, 10)
    assert b"10 January 2021" in response.content


def test_an_officers_reason_is_shown_as_text_not_markup(client):
    # given
    supplier, admin, reviewer = supplier_in_state("submitted")
    services.supplier_request_changes(
        actor=reviewer,
        supplier=supplier,
        items=[{"target_type": "field", "target": "city", "reason": "<script>alert(1)</script>"}],
    )
    login(client, admin)

    # when
    response = client.get(_step(supplier, "address"))

    # then
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
