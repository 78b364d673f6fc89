"""The registration through the API: the same flow as the wizard, errors as problem+json."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.services import api_token_create
from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import Supplier, SupplierDocument, SupplierState
from tests.factories import UserFactory

from .factories import PDF, pdf, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

API = "/api/v1/suppliers/"
PROBLEM = "application/problem+json"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _bearer(user) -> dict:
    _token, raw = api_token_create(actor=user, name="client", expires_in_days=30)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _counts():
    return (
        SupplierDocument.objects.count(),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_company_registers_through_the_api(client):
    # given
    user = UserFactory()
    auth = _bearer(user)

    # when: start
    response = client.post(
        API, {"legal_name": "Alborz Road Builders Co.", "country": "ir"}, "application/json", **auth
    )

    # then
    assert response.status_code == 201
    body = response.json()
    supplier_id = body["id"]
    assert body["state"] == "draft"
    assert body["state_label"] == "Draft"
    assert body["editable"] is True
    assert body["country"] == "IR"
    assert body["change_request"] is None
    assert body["documents"] == []

    # when: the profile, and the categories found through the CPV search
    found = client.get(f"{API}cpv/", {"q": "road bridge", "limit": 3}, **auth)
    response = client.patch(
        f"{API}{supplier_id}/",
        {
            "legal_name_fa": "شرکت راه‌سازان البرز",
            "registration_number": "10101234567",
            "tax_id": "411111111111",
            "address_line": "12 Valiasr Street",
            "city": "Tehran",
            "contact_email": "office@alborz.example",
            "contact_phone": "+982188776655",
            "cpv_codes": [found.json()[0]["code"]],
        },
        "application/json",
        **auth,
    )

    # then
    assert found.json() == [{"code": "45221111-3", "label": "Road bridge construction work"}]
    assert response.status_code == 200
    body = response.json()
    assert body["cpv_codes"] == ["45221111-3"]
    assert body["categories"] == [{"code": "45221111-3", "label": "Road bridge construction work"}]
    assert body["missing"] == [
        "Upload the document: Registration certificate.",
        "Upload the document: Tax clearance certificate.",
        "Upload the document: Social security clearance.",
    ]

    # when: the documents, multipart
    for kind in ("registration_certificate", "tax_clearance", "social_security"):
        response = client.post(
            f"{API}{supplier_id}/documents/",
            {"kind": kind, "issued_on": "2026-01-10", "expires_on": "2030-01-01", "file": pdf()},
            **auth,
        )
        assert response.status_code == 201
    listing = client.get(f"{API}{supplier_id}/documents/", **auth)

    # then
    document = response.json()
    assert document["kind"] == "social_security"
    assert document["version"] == 1
    assert document["is_current"] is True
    assert document["size"] == len(PDF)
    assert document["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert document["expires_on"] == "2030-01-01"
    assert document["download_url"] == (f"{API}{supplier_id}/documents/{document['id']}/download/")
    assert listing.json()["count"] == 3

    # when: submit
    response = client.post(f"{API}{supplier_id}/submit/", **auth)

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "submitted"
    assert body["editable"] is False
    assert body["missing"] == []
    assert body["eligibility"] == {
        "eligible": False,
        "reasons": [
            {
                "code": "supplier.not_verified",
                "message": "The registration is not verified yet.",
            }
        ],
    }
    mine = client.get(f"{API}mine/", **auth).json()
    assert mine["results"] == [
        {
            "id": supplier_id,
            "legal_name": "Alborz Road Builders Co.",
            "country": "IR",
            "state": "submitted",
            "state_label": "Submitted for verification",
        }
    ]
    assert Supplier.objects.get(pk=supplier_id).state == SupplierState.SUBMITTED


def test_an_unknown_country_is_a_problem_with_a_field_error(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.patch(f"{API}{supplier.pk}/", {"country": "XX"}, "application/json", **auth)

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "supplier.unknown_country"
    assert body["errors"] == {"country": ["Unknown country: give an ISO 3166-1 alpha-2 code."]}
    supplier.refresh_from_db()
    assert supplier.country == "IR"
    assert _counts() == before


def test_an_unknown_cpv_code_is_a_problem_with_a_field_error(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.patch(
        f"{API}{supplier.pk}/", {"cpv_codes": ["99999999-9"]}, "application/json", **auth
    )

    # then
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "supplier.unknown_cpv_code"
    assert body["errors"] == {"cpv_codes": ["“99999999-9” is not a CPV 2008 code."]}
    supplier.refresh_from_db()
    assert supplier.cpv_codes == ["45233120-6"]
    assert _counts() == before


def test_a_taken_registration_number_is_a_conflict(client):
    # given
    registered_supplier(documents=False, registration_number="555")
    user = UserFactory()
    auth = _bearer(user)
    before = _counts()

    # when
    response = client.post(
        API,
        {"legal_name": "Copycat Co.", "country": "IR", "registration_number": "555"},
        "application/json",
        **auth,
    )

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "supplier.registration_number_taken"
    assert list(response.json()["errors"]) == ["registration_number"]
    assert Supplier.objects.count() == 1
    assert _counts() == before


def test_a_refused_upload_is_a_problem_on_the_file_and_saves_nothing(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.post(
        f"{API}{supplier.pk}/documents/",
        {
            "kind": "tax_clearance",
            "issued_on": "2026-01-10",
            "file": SimpleUploadedFile("tax.pdf", EXE, content_type="application/pdf"),
        },
        **auth,
    )

    # then
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["code"] == "supplier.document_rejected"
    assert body["errors"] == {
        "file": ["This type of file is not accepted. Upload a PDF, PNG or JPEG document."]
    }
    assert _counts() == before


def test_a_missing_file_is_a_validation_problem(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.post(
        f"{API}{supplier.pk}/documents/", {"kind": "tax_clearance", "issued_on": "x"}, **auth
    )

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "api.invalid"
    assert set(response.json()["errors"]) == {"file", "issued_on"}
    assert _counts() == before


def test_submitting_an_incomplete_registration_lists_what_is_missing(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.post(f"{API}{supplier.pk}/submit/", **auth)

    # then
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "supplier.incomplete"
    assert body["params"]["missing"] == [
        "Upload the document: Registration certificate.",
        "Upload the document: Tax clearance certificate.",
        "Upload the document: Social security clearance.",
    ]
    supplier.refresh_from_db()
    assert supplier.state == SupplierState.DRAFT
    assert _counts() == before


def test_a_submitted_registration_cannot_be_patched(client):
    # given
    supplier, admin, _officer = supplier_in_state("submitted")
    auth = _bearer(admin)
    before = _counts()

    # when
    response = client.patch(f"{API}{supplier.pk}/", {"tax_id": "1"}, "application/json", **auth)

    # then
    assert response.status_code == 409
    assert response.json()["code"] == "supplier.not_editable"
    supplier.refresh_from_db()
    assert supplier.tax_id == "411111111111"
    assert _counts() == before


def test_the_requested_changes_are_in_the_status(client):
    # given
    supplier, admin, _officer = supplier_in_state("changes_requested")
    auth = _bearer(admin)

    # when
    response = client.get(f"{API}{supplier.pk}/", **auth)

    # then
    body = response.json()
    assert body["state"] == "changes_requested"
    assert body["editable"] is True
    assert body["change_request"]["items"] == [
        {"target_type": "field", "target": "tax_id", "reason": "Illegible"}
    ]


def test_a_representative_is_invited_and_accepts_through_the_api(client):
    # given a company's administrator and a person with an account
    supplier, admin = registered_supplier(documents=False)
    person = UserFactory(email="bidder@alborz.example", name="Reza Karimi")
    auth = _bearer(admin)
    person_auth = _bearer(person)

    # when the administrator invites the person
    response = client.post(
        f"{API}{supplier.pk}/representatives/",
        {"email": "bidder@alborz.example", "role": "bidder"},
        "application/json",
        **auth,
    )

    # then an invitation awaits the person's answer; they act for nobody yet
    assert response.status_code == 201
    invitation = response.json()
    assert {key: invitation[key] for key in ("user_id", "email", "role", "state")} == {
        "user_id": person.pk,
        "email": "bidder@alborz.example",
        "role": "bidder",
        "state": "pending",
    }
    listing = client.get(f"{API}{supplier.pk}/representatives/", **auth)
    assert [r["email"] for r in listing.json()] == [admin.email]

    # when the person reads their invitations and accepts
    mine = client.get("/api/v1/accounts/invitations/", **person_auth)
    accepted = client.post(
        f"/api/v1/accounts/invitations/{invitation['id']}/accept/", **person_auth
    )

    # then they are a bidder of the company
    assert [(i["id"], i["organisation_id"], i["role"]) for i in mine.json()] == [
        (invitation["id"], supplier.organisation_id, "bidder")
    ]
    assert (accepted.status_code, accepted.json()["state"]) == (200, "accepted")
    listing = client.get(f"{API}{supplier.pk}/representatives/", **auth)
    assert sorted((r["email"], r["role"]) for r in listing.json()) == [
        ("bidder@alborz.example", "bidder"),
        (admin.email, "supplier_admin"),
    ]


def test_the_cpv_search_is_public_and_labels_follow_the_language(client):
    # when
    english = client.get(f"{API}cpv/", {"q": "45233120"})
    persian = client.get(f"{API}cpv/", {"q": "45233120"}, HTTP_ACCEPT_LANGUAGE="fa")

    # then
    assert english.status_code == 200
    assert english.json() == [{"code": "45233120-6", "label": "Road construction works"}]
    assert persian.json() == [
        {"code": "45233120-6", "label": "عملیات ساختمانی — Road construction works"}
    ]
