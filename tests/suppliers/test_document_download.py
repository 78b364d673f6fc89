"""Downloading a supplier document: members, verifying officers and auditors only."""

import datetime

import pytest
from django.urls import reverse

from suppliers import services
from tests.factories import login

from .factories import PDF, VIEWERS, pdf, registered_supplier, viewer

pytestmark = pytest.mark.django_db

ALLOWED = {"admin", "bidder", "officer", "auditor"}


@pytest.fixture
def document():
    supplier, admin = registered_supplier(documents=False)
    document = services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf("پروانه کسب.pdf"),
        issued_on=datetime.date(2026, 1, 10),
    )
    return supplier, admin, document


def _page(supplier, document_id):
    return reverse("suppliers:document_download", args=[supplier.pk, document_id])


def _api(supplier, document_id):
    return f"/api/v1/suppliers/{supplier.pk}/documents/{document_id}/download/"


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_page_download_is_for_members_officers_and_auditors(client, document, kind):
    # given
    supplier, admin, doc = document
    user = viewer(kind, supplier, admin)
    if user is not None:
        login(client, user)

    # when
    response = client.get(_page(supplier, doc.pk))

    # then
    if kind in ALLOWED:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            "attachment; filename*=utf-8''%D9%BE%D8%B1%D9%88%D8%A7%D9%86%D9%87%20"
            "%DA%A9%D8%B3%D8%A8.pdf"
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
    elif kind == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == 403
        assert not hasattr(response, "streaming_content")


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_api_download_is_for_members_officers_and_auditors(client, document, kind):
    # given
    supplier, admin, doc = document
    user = viewer(kind, supplier, admin)
    if user is not None:
        login(client, user)

    # when
    response = client.get(_api(supplier, doc.pk))

    # then
    if kind in ALLOWED:
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment; ")
        assert response["X-Content-Type-Options"] == "nosniff"
    elif kind == "anonymous":
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
    else:
        assert response.status_code == 403
        assert response.json()["code"] == "api.permission_denied"


def test_an_ascii_name_is_quoted_safely(client):
    # given
    supplier, admin = registered_supplier(documents=False)
    doc = services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf('licence "2026".pdf'),
        issued_on=datetime.date(2026, 1, 10),
    )
    login(client, admin)

    # when
    response = client.get(_page(supplier, doc.pk))

    # then
    assert response["Content-Disposition"] == 'attachment; filename="licence \\"2026\\".pdf"'


def test_a_document_of_another_supplier_is_not_found(client, document):
    # given: the admin of supplier B asks for A's document under B's address
    _supplier, _admin, doc = document
    other, other_admin = registered_supplier(
        documents=False, registration_number="999", legal_name="Other Co."
    )
    login(client, other_admin)

    # when
    page = client.get(_page(other, doc.pk))
    api = client.get(_api(other, doc.pk))

    # then
    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["code"] == "api.not_found"


def test_a_forged_document_id_is_not_found(client, document):
    # given
    supplier, admin, doc = document
    login(client, admin)

    # when
    page = client.get(_page(supplier, doc.pk + 1000))
    api = client.get(_api(supplier, doc.pk + 1000))
    unknown_supplier = client.get(_page(type(supplier)(pk=supplier.pk + 1000), doc.pk))

    # then
    assert page.status_code == 404
    assert api.status_code == 404
    assert unknown_supplier.status_code == 404


def test_older_versions_stay_downloadable(client, document):
    # given
    supplier, admin, first = document
    services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf("renewed.pdf", content=PDF + b"%renewed\n"),
        issued_on=datetime.date(2026, 2, 10),
    )
    login(client, admin)

    # when
    response = client.get(_page(supplier, first.pk))

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
