# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""One registration as the officer sees it: fields, every document version, history, eligibility."""

import datetime

import pytest
from rest_framework.fields import DateTimeField

from audit.models import Event
from core.clock import frozen_at
from suppliers import services
from suppliers.models import SupplierDocument
from tests.factories import login

from .factories import oversight_admin, pdf, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def resubmitted():
    """A registration sent back once for a new tax clearance, then resubmitted."""
    supplier, admin, reviewer = supplier_in_state("changes_requested")
    services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="tax_clearance",
        uploaded=pdf("tax-2026.pdf", b"%PDF-1.7\nrenewed\n%%EOF\n"),
        issued_on=datetime.date(2026, 5, 1),
        expires_on=datetime.date(2027, 5, 1),
    )
    services.supplier_submit(actor=admin, supplier=supplier)
    return supplier, admin, reviewer


def test_the_detail_page_shows_every_field_document_version_request_and_event(client, resubmitted):
    # given
    supplier, admin, reviewer = resubmitted
    login(client, reviewer)
    old, new = SupplierDocument.objects.filter(supplier=supplier, kind="tax_clearance").order_by(
        "version"
    )

    # when
    response = client.get(f"/suppliers/review/{supplier.pk}/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    for value in (
        "Alborz Road Builders Co.",
        "شرکت راه‌سازان البرز",
        "10101234567",
        "411111111111",
        "Iran",
        "12 Valiasr Street",
        "Tehran",
        "1411713111",
        "office@alborz.example",
        "+982188776655",
        "45233120-6",
    ):
        assert value in page, value
    # both versions of the tax clearance, with size, hash, dates and uploader
    assert [d["label"] for d in response.context["documents"]] == [
        "Registration certificate",
        "Social security clearance",
        "Tax clearance certificate",
    ]
    tax = response.context["documents"][2]["versions"]
    assert [(d.version, d.is_current) for d in tax] == [(2, True), (1, False)]
    for document in (old, new):
        assert f"/suppliers/{supplier.pk}/documents/{document.pk}/download/" in page
        assert document.sha256 in page
        assert f"{document.size} bytes" in page
    assert "1 May 2027" in page  # the renewed one's expiry
    assert admin.email in page
    # the change request with its reason, now resolved
    assert "Tax identification number" in page
    assert "Illegible" in page
    assert "resubmitted" in page
    # the history, in order
    assert [event.action for event in response.context["timeline"]] == [
        "supplier.registered",
        "supplier.document_uploaded",
        "supplier.document_uploaded",
        "supplier.document_uploaded",
        "supplier.submitted",
        "supplier.changes_requested",
        "supplier.document_uploaded",
        "supplier.submitted",
    ]
    assert [event.seq for event in response.context["timeline"]] == list(
        Event.objects.filter(object_type="suppliers.supplier", object_id=str(supplier.pk))
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    assert "Tax identification number: Illegible" in page
    # eligibility: submitted, so not yet
    assert "The registration is not verified yet." in page
    # the decisions this officer may take on a submitted registration
    assert response.context["offered"] == {
        "verify": True,
        "request_changes": True,
        "suspend": False,
        "reinstate": False,
        "debar": False,
        "end_debarment": False,
    }
    assert f'action="/suppliers/review/{supplier.pk}/verify/"' in page
    assert 'name="field_tax_id"' in page
    assert 'name="document_tax_clearance"' in page
    assert "/debar/" not in page


def test_the_detail_through_the_api(client, resubmitted):
    # given
    supplier, admin, reviewer = resubmitted
    login(client, reviewer)
    new = SupplierDocument.objects.get(supplier=supplier, kind="tax_clearance", is_current=True)

    # when
    response = client.get(f"/api/v1/supplier-review/{supplier.pk}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["legal_name"] == "Alborz Road Builders Co."
    assert body["tax_id"] == "411111111111"
    assert body["state"] == "submitted"
    assert body["decisions"] == ["verify", "request_changes"]
    assert len(body["documents"]) == 4
    renewed = next(d for d in body["documents"] if d["id"] == new.pk)
    assert renewed == {
        "id": new.pk,
        "kind": "tax_clearance",
        "version": 2,
        "is_current": True,
        "original_name": "tax-2026.pdf",
        "content_type": "application/pdf",
        "size": 23,
        "sha256": new.sha256,
        "issued_on": "2026-05-01",
        "expires_on": "2027-05-01",
        "uploaded_by": admin.email,
        "uploaded_at": DateTimeField().to_representation(new.created_at),
        "download_url": f"/suppliers/{supplier.pk}/documents/{new.pk}/download/",
    }
    [change_request] = body["change_requests"]
    assert change_request["requested_by"] == reviewer.email
    assert change_request["items"] == [
        {"target_type": "field", "target": "tax_id", "reason": "Illegible"}
    ]
    assert change_request["resolved_at"] is not None
    assert body["eligibility"] == {
        "eligible": False,
        "reasons": [
            {
                "code": "supplier.not_verified",
                "message": "The registration is not verified yet.",
            }
        ],
    }
    assert [e["action"] for e in body["timeline"]][-3:] == [
        "supplier.changes_requested",
        "supplier.document_uploaded",
        "supplier.submitted",
    ]
    assert body["timeline"][-3]["reason"] == "Tax identification number: Illegible"
    assert body["timeline"][-3]["actor"] == reviewer.name


def test_the_oversight_admin_is_offered_debarment_of_a_verified_supplier(client):
    # given
    supplier, _admin, _reviewer = supplier_in_state("verified")
    login(client, oversight_admin())

    # when
    response = client.get(f"/suppliers/review/{supplier.pk}/")

    # then
    assert response.context["offered"] == {
        "verify": False,
        "request_changes": False,
        "suspend": True,
        "reinstate": False,
        "debar": True,
        "end_debarment": False,
    }
    page = response.content.decode()
    assert f'action="/suppliers/review/{supplier.pk}/debar/"' in page
    assert 'name="until"' in page
    assert "Yes: the supplier is verified and its required documents are valid." in page


def test_expired_and_expiring_documents_are_marked(client):
    # given on 2027-01-01: the tax clearance expires in 30 days, social security expired
    supplier, admin, reviewer = supplier_in_state("verified")
    with frozen_at(datetime.datetime(2027, 1, 1, 6, 0, tzinfo=datetime.UTC)):
        for kind, expires_on in (
            ("tax_clearance", datetime.date(2027, 1, 31)),
            ("social_security", datetime.date(2026, 12, 31)),
        ):
            services.supplier_document_upload(
                actor=admin,
                supplier=supplier,
                kind=kind,
                uploaded=pdf(f"{kind}.pdf"),
                issued_on=datetime.date(2026, 6, 1),
                expires_on=expires_on,
            )
        login(client, reviewer)

        # when
        response = client.get(f"/suppliers/review/{supplier.pk}/")

    # then
    marks = {
        (group["kind"], document.version): (document.expired, document.expires_soon)
        for group in response.context["documents"]
        for document in group["versions"]
    }
    assert marks == {
        ("registration_certificate", 1): (False, False),
        ("social_security", 2): (True, False),
        ("social_security", 1): (False, False),
        ("tax_clearance", 2): (False, True),
        ("tax_clearance", 1): (False, False),
    }
    page = response.content.decode()
    assert page.count('<span class="badge text-bg-danger">expired</span>') == 1
    assert page.count('<span class="badge text-bg-warning">expires soon</span>') == 1
    assert "The required document expired on 31 December 2026: Social security clearance." in page


def test_a_draft_is_not_for_review(client):
    # given
    supplier, _admin = registered_supplier()
    login(client, oversight_admin())

    # when
    page = client.get(f"/suppliers/review/{supplier.pk}/")
    api = client.get(f"/api/v1/supplier-review/{supplier.pk}/")
    missing = client.get("/api/v1/supplier-review/999999/")

    # then
    assert page.status_code == 404
    assert (api.status_code, api["Content-Type"]) == (404, "application/problem+json")
    assert missing.status_code == 404


def test_the_detail_in_persian(client, resubmitted):
    # given
    supplier, _admin, reviewer = resubmitted
    login(client, reviewer)

    # when
    response = client.get(f"/suppliers/review/{supplier.pk}/", HTTP_ACCEPT_LANGUAGE="fa")

    # then the expiry 2027-05-01 is 11 Ordibehesht 1406, in Persian digits
    page = response.content.decode()
    assert response.status_code == 200
    assert "۱۱ اردیبهشت ۱۴۰۶" in page
    assert "ایران" in page
