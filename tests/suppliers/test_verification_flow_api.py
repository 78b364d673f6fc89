"""The whole verification flow through the API only: register, submit, changes, fix, verify."""

import pytest
from django.test import Client

from accounts.models import Role
from accounts.services import api_token_create
from audit.models import Event
from suppliers.models import Supplier
from tests.factories import UserFactory, login, make_member

from .factories import pdf

pytestmark = pytest.mark.django_db

SUPPLIERS = "/api/v1/suppliers/"
REVIEW = "/api/v1/supplier-review/"


def test_a_company_is_sent_back_fixes_it_and_is_verified_through_the_api():
    # given: a company's user with a personal token, and an officer with a 2FA session
    supplier_client = Client()
    user = UserFactory()
    _token, raw = api_token_create(actor=user, name="erp", expires_in_days=30)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    officer_client = login(Client(), make_member(Role.VERIFIER))

    # when: the company registers, completes, uploads and submits
    created = supplier_client.post(
        SUPPLIERS, {"legal_name": "Zagros Bridges Co.", "country": "IR"}, "application/json", **auth
    )
    pk = created.json()["id"]
    supplier_client.patch(
        f"{SUPPLIERS}{pk}/",
        {
            "registration_number": "10109999999",
            "tax_id": "4111-WRONG",
            "address_line": "3 Azadi Square",
            "city": "Tabriz",
            "contact_email": "office@zagros-bridges.example",
            "contact_phone": "+984133334444",
            "cpv_codes": ["45221111-3"],
        },
        "application/json",
        **auth,
    )
    for kind in ("registration_certificate", "tax_clearance", "social_security"):
        supplier_client.post(
            f"{SUPPLIERS}{pk}/documents/",
            {"kind": kind, "issued_on": "2026-01-10", "expires_on": "2030-01-01", "file": pdf()},
            **auth,
        )
    submitted = supplier_client.post(f"{SUPPLIERS}{pk}/submit/", **auth)

    # and the officer finds it in the queue and asks for a change
    queue = officer_client.get(REVIEW)
    sent_back = officer_client.post(
        f"{REVIEW}{pk}/request-changes/",
        {"items": [{"target_type": "field", "target": "tax_id", "reason": "Not a tax id"}]},
        content_type="application/json",
    )

    # and the company reads the reason, fixes the field and submits again
    status = supplier_client.get(f"{SUPPLIERS}{pk}/", **auth).json()
    supplier_client.patch(
        f"{SUPPLIERS}{pk}/", {"tax_id": "411122223333"}, "application/json", **auth
    )
    resubmitted = supplier_client.post(f"{SUPPLIERS}{pk}/submit/", **auth)

    # and the officer verifies it
    verified = officer_client.post(
        f"{REVIEW}{pk}/verify/",
        {"note": "Checked with the tax office"},
        content_type="application/json",
    )

    # then
    assert created.status_code == 201
    assert submitted.json()["state"] == "submitted"
    assert [row["id"] for row in queue.json()["results"]] == [pk]
    assert sent_back.status_code == 200
    assert status["state"] == "changes_requested"
    assert [
        (item["target_type"], item["target"], item["reason"])
        for item in status["change_request"]["items"]
    ] == [("field", "tax_id", "Not a tax id")]
    assert resubmitted.json()["state"] == "submitted"
    assert verified.status_code == 200
    final = supplier_client.get(f"{SUPPLIERS}{pk}/", **auth).json()
    assert final["state"] == "verified"
    assert final["eligibility"] == {"eligible": True, "reasons": []}
    assert Supplier.objects.get(pk=pk).tax_id == "411122223333"
    assert list(
        Event.objects.filter(object_type="suppliers.supplier", object_id=str(pk))
        .exclude(action__in=["supplier.updated", "supplier.document_uploaded"])
        .values_list("action", "reason")
    ) == [
        ("supplier.registered", ""),
        ("supplier.submitted", ""),
        ("supplier.changes_requested", "Tax identification number: Not a tax id"),
        ("supplier.submitted", ""),
        ("supplier.verified", "Checked with the tax office"),
    ]
