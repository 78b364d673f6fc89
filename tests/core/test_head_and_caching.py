"""HEAD answers wherever GET does; private documents are never kept by a cache.

Link checkers, monitors and `curl -I` ask with HEAD: a 405 on the public list,
a notice or a download made them report the platform down. A draft tender's
documents and every supplier document are for a few people only: no browser or
shared cache may keep them (`Cache-Control: private, no-store`); a published
tender's documents are public and keep the caching they had.
"""

import datetime
import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import Role
from core.clock import frozen_at
from suppliers import services as supplier_services
from tenders import services as tender_services
from tests.factories import login, make_member
from tests.suppliers.factories import PDF, pdf, registered_supplier, supplier_in_state
from tests.tenders.factories import NOW, draft_tender, tender_in_state

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _head_is_get(client, url):
    get = client.get(url)
    head = client.head(url)
    assert get.status_code == 200, (url, get.status_code)
    assert head.status_code == 200, (url, head.status_code)
    assert head["Content-Type"] == get["Content-Type"]
    return get, head


def test_head_answers_on_the_public_pages(client):
    # given a published tender, a debarred supplier
    with frozen_at(NOW):
        tender, _team = tender_in_state("published")
    supplier_in_state("debarred")

    # when a monitor asks with HEAD, then it gets what GET gets, without a body
    for url in ("/tenders/", f"/tenders/{tender.ocid}/", "/debarments/", "/tenders/feed/"):
        _get, head = _head_is_get(client, url)
        assert head.content == b""


def test_head_answers_on_the_supplier_and_officer_lists(client):
    # given a supplier's person and an officer
    with frozen_at(NOW):
        tender_in_state("published")
    supplier, _admin, officer = supplier_in_state("submitted")
    bidder = make_member(Role.BIDDER)
    login(client, bidder)
    for url in ("/tenders/matching/", "/tenders/following/", "/tenders/questions/"):
        _head_is_get(client, url)
    login(client, officer)
    for url in ("/suppliers/review/", f"/suppliers/review/{supplier.pk}/"):
        _head_is_get(client, url)


def test_head_answers_on_downloads_and_keeps_their_headers(client):
    # given a draft tender's document and a supplier's document
    tender, team = draft_tender()
    document = tender_services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specs", uploaded=pdf("specs.pdf")
    )
    supplier, admin = registered_supplier(documents=False)
    supplier_document = supplier_services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf("licence.pdf"),
        issued_on=datetime.date(2026, 1, 10),
    )
    tender_url = reverse("tender_admin:document_download", args=[tender.pk, document.pk])
    supplier_url = reverse("suppliers:document_download", args=[supplier.pk, supplier_document.pk])

    # when their people ask with HEAD
    login(client, team.officer)
    _get, tender_head = _head_is_get(client, tender_url)
    login(client, admin)
    _get, supplier_head = _head_is_get(client, supplier_url)

    # then the headers a download needs are there
    assert tender_head["Content-Disposition"] == 'attachment; filename="specs.pdf"'
    assert supplier_head["Content-Disposition"] == 'attachment; filename="licence.pdf"'


def test_no_page_or_download_refuses_head():
    # require_GET answers HEAD with 405; require_safe allows both.
    offenders = sorted(
        str(path.relative_to(ROOT))
        for app in ("core", "accounts", "audit", "notifications", "home", "suppliers", "tenders")
        for path in (ROOT / app).rglob("*.py")
        if re.search(r"\brequire_GET\b", path.read_text())
    )
    assert offenders == []


# --- Caching of documents --------------------------------------------------------------------


def test_a_drafts_document_is_never_cached(client):
    # given a draft tender's document, downloaded by its officer
    tender, team = draft_tender()
    document = tender_services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specs", uploaded=pdf("specs.pdf")
    )
    url = reverse("tender_admin:document_download", args=[tender.pk, document.pk])
    login(client, team.officer)

    # when
    response = client.get(url)

    # then no cache may keep it
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"


def test_a_published_tenders_document_keeps_its_public_caching(client):
    # given the same document once the tender is published
    with frozen_at(NOW):
        tender, team = draft_tender()
        document = tender_services.tender_document_upload(
            actor=team.officer, tender=tender, title="Specs", uploaded=pdf("specs.pdf")
        )
        tender_services.tender_submit_for_approval(actor=team.officer, tender=tender)
        tender_services.tender_approve_and_publish(actor=team.approver, tender=tender)
    url = reverse("tender_admin:document_download", args=[tender.pk, document.pk])

    # when anyone downloads it
    response = client.get(url)

    # then it is not marked private
    assert response.status_code == 200
    assert response.has_header("Cache-Control") is False


@pytest.mark.parametrize("by", ["page", "api"])
def test_a_supplier_document_is_never_cached(client, by):
    supplier, admin = registered_supplier(documents=False)
    document = supplier_services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf("licence.pdf"),
        issued_on=datetime.date(2026, 1, 10),
    )
    login(client, admin)
    url = (
        reverse("suppliers:document_download", args=[supplier.pk, document.pk])
        if by == "page"
        else f"/api/v1/suppliers/{supplier.pk}/documents/{document.pk}/download/"
    )

    response = client.get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Cache-Control"] == "private, no-store"
