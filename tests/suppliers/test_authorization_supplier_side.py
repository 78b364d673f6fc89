"""Who sees and does what on the supplier's side, through the pages and the API.

The supplier's administrator edits; its bidders, the verifying officers and
the auditors read; another supplier's people and the anonymous public get
nothing. Every refusal changes nothing and writes no event or outbox row.
"""

import pytest
from django.urls import reverse

from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import Supplier, SupplierDocument
from tests.factories import login

from .factories import VIEWERS, pdf, registered_supplier, viewer

pytestmark = pytest.mark.django_db

READERS = {"admin", "bidder", "officer", "auditor"}
API = "/api/v1/suppliers/"
STEPS = ("company", "address", "categories", "representatives", "documents", "review")


@pytest.fixture
def draft():
    return registered_supplier()


def _as(client, kind, supplier, admin):
    user = viewer(kind, supplier, admin)
    if user is not None:
        login(client, user)
    return user


def _snapshot(supplier):
    supplier = Supplier.objects.get(pk=supplier.pk)
    return (
        supplier.state,
        supplier.legal_name,
        supplier.tax_id,
        SupplierDocument.objects.count(),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_status_page(client, draft, kind):
    # given
    supplier, admin = draft
    _as(client, kind, supplier, admin)

    # when
    response = client.get(reverse("suppliers:detail", args=[supplier.pk]))

    # then
    if kind in READERS:
        assert response.status_code == 200
        assert response.context["can_edit"] is (kind == "admin")
    elif kind == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("step", STEPS)
@pytest.mark.parametrize("kind", VIEWERS)
def test_the_wizard_steps_are_for_the_suppliers_administrators(client, draft, kind, step):
    # given
    supplier, admin = draft
    _as(client, kind, supplier, admin)

    # when
    response = client.get(reverse(f"suppliers:step_{step}", args=[supplier.pk]))

    # then
    if kind == "admin":
        assert response.status_code == 200
    elif kind == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("kind", [k for k in VIEWERS if k != "admin"])
def test_nobody_else_changes_or_submits_through_the_pages(client, draft, kind):
    # given
    supplier, admin = draft
    _as(client, kind, supplier, admin)
    before = _snapshot(supplier)

    # when
    company = client.post(
        reverse("suppliers:step_company", args=[supplier.pk]),
        {"legal_name": "Hijacked", "registration_number": "1", "tax_id": "2", "country": "IR"},
    )
    upload = client.post(
        reverse("suppliers:step_documents", args=[supplier.pk]),
        {"kind": "licence", "issued_on": "2026-01-10", "file": pdf()},
    )
    submit = client.post(reverse("suppliers:step_review", args=[supplier.pk]))
    invite = client.post(
        reverse("suppliers:step_representatives", args=[supplier.pk]),
        {"email": "intruder@example.org", "name": "Intruder", "role": "supplier_admin"},
    )

    # then
    expected = 302 if kind == "anonymous" else 403
    assert [r.status_code for r in (company, upload, submit, invite)] == [expected] * 4
    assert _snapshot(supplier) == before


def test_registering_needs_an_account(client):
    # when
    response = client.get(reverse("suppliers:register"))

    # then
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("kind", VIEWERS)
def test_the_api_status_and_documents(client, draft, kind):
    # given
    supplier, admin = draft
    _as(client, kind, supplier, admin)

    # when
    status = client.get(f"{API}{supplier.pk}/")
    documents = client.get(f"{API}{supplier.pk}/documents/")
    representatives = client.get(f"{API}{supplier.pk}/representatives/")

    # then
    responses = (status, documents, representatives)
    if kind in READERS:
        assert [r.status_code for r in responses] == [200, 200, 200]
        assert status.json()["id"] == supplier.pk
        assert documents.json()["count"] == 3
    elif kind == "anonymous":
        assert [r.status_code for r in responses] == [401, 401, 401]
    else:
        assert [r.status_code for r in responses] == [403, 403, 403]
        assert {r.json()["code"] for r in responses} == {"api.permission_denied"}


@pytest.mark.parametrize("kind", [k for k in VIEWERS if k != "admin"])
def test_nobody_else_changes_or_submits_through_the_api(client, draft, kind):
    # given
    supplier, admin = draft
    _as(client, kind, supplier, admin)
    before = _snapshot(supplier)

    # when
    patch = client.patch(f"{API}{supplier.pk}/", {"legal_name": "Hijacked"}, "application/json")
    upload = client.post(
        f"{API}{supplier.pk}/documents/",
        {"kind": "licence", "issued_on": "2026-01-10", "file": pdf()},
    )
    submit = client.post(f"{API}{supplier.pk}/submit/")
    invite = client.post(
        f"{API}{supplier.pk}/representatives/",
        {"email": "intruder@example.org", "name": "Intruder", "role": "supplier_admin"},
        "application/json",
    )

    # then
    responses = (patch, upload, submit, invite)
    if kind == "anonymous":
        assert [r.status_code for r in responses] == [401] * 4
    else:
        assert [r.status_code for r in responses] == [403] * 4
        # Readers pass the view's check and are refused by the service: the same code.
        assert {r.json()["code"] for r in responses} == {"api.permission_denied"}
    assert _snapshot(supplier) == before


@pytest.mark.parametrize("kind", VIEWERS)
def test_my_suppliers_lists_only_my_own(client, draft, kind):
    # given
    supplier, admin = draft
    user = _as(client, kind, supplier, admin)

    # when
    response = client.get(f"{API}mine/")

    # then
    if user is None:
        assert response.status_code == 401
        return
    ids = [row["id"] for row in response.json()["results"]]
    if kind in {"admin", "bidder"}:
        assert ids == [supplier.pk]
    elif kind == "other_supplier":
        assert ids == [Supplier.objects.get(legal_name="Other Co.").pk]
    else:
        assert ids == []
