"""Tender documents: versioned by title, hashed, checked by content, in drafts only."""

import hashlib

import pytest
from django.urls import reverse

from audit.models import Event
from tenders import services
from tenders.exceptions import TenderDocumentRejected, TenderNotAllowed, TenderNotEditable
from tenders.models import TenderDocument
from tests.factories import login
from tests.suppliers.factories import PDF, pdf

from .factories import NOW, outsider, tender_in_state

pytestmark = pytest.mark.django_db

PDF_V2 = PDF + b"% second version\n"


def test_the_same_title_makes_a_new_version_and_keeps_the_old_one():
    # given
    tender, team = tender_in_state("draft")

    # when
    first = services.tender_document_upload(
        actor=team.officer, tender=tender, title="Technical specifications", uploaded=pdf()
    )
    second = services.tender_document_upload(
        actor=team.officer,
        tender=tender,
        title="Technical specifications",
        uploaded=pdf("specs-v2.pdf", PDF_V2),
    )

    # then
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current) == (2, True)
    assert second.sha256 == hashlib.sha256(PDF_V2).hexdigest()
    assert second.size == len(PDF_V2)
    assert second.original_name == "specs-v2.pdf"
    assert second.content_type == "application/pdf"
    assert second.uploaded_by == team.officer
    assert second.created_at == NOW
    assert second.file.read() == PDF_V2
    event = Event.objects.filter(action="tender.document_uploaded").order_by("-seq").first()
    assert event.payload == {
        "document_id": second.pk,
        "title": "Technical specifications",
        "version": 2,
        "original_name": "specs-v2.pdf",
        "size": len(PDF_V2),
        "sha256": hashlib.sha256(PDF_V2).hexdigest(),
    }


def test_a_file_that_is_not_a_pdf_or_image_is_refused(nothing_written):
    # given
    tender, team = tender_in_state("draft")

    # when / then
    with nothing_written(), pytest.raises(TenderDocumentRejected) as error:
        services.tender_document_upload(
            actor=team.officer,
            tender=tender,
            title="Specs",
            uploaded=pdf("specs.pdf", b"MZ\x90\x00 not a pdf at all"),
        )
    assert error.value.field == "file"


@pytest.mark.parametrize("state", ["awaiting_approval", "published"])
def test_after_the_draft_a_document_is_not_added_here(state, nothing_written):
    # given
    tender, team = tender_in_state(state)

    # when / then
    with nothing_written(), pytest.raises(TenderNotEditable):
        services.tender_document_upload(
            actor=team.officer, tender=tender, title="Specs", uploaded=pdf()
        )


@pytest.mark.parametrize("who", ["approver", "outsider"])
def test_only_the_buyers_officer_uploads(who, nothing_written):
    # given
    tender, team = tender_in_state("draft")
    actor = team.approver if who == "approver" else outsider()

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_document_upload(actor=actor, tender=tender, title="Specs", uploaded=pdf())


def test_the_officer_uploads_through_the_documents_step(client):
    # given
    tender, team = tender_in_state("draft")
    login(client, team.officer)
    url = reverse("tender_admin:step_documents", args=[tender.pk])

    # when
    response = client.post(url, {"title": "Bill of quantities", "file": pdf("boq.pdf")})
    page = client.get(url)

    # then
    assert response.status_code == 302
    document = TenderDocument.objects.get(tender=tender)
    assert (document.title, document.version) == ("Bill of quantities", 1)
    assert hashlib.sha256(PDF).hexdigest() in page.content.decode()


def test_a_refused_file_is_an_error_on_the_file_field(client, nothing_written):
    # given
    tender, team = tender_in_state("draft")
    login(client, team.officer)
    url = reverse("tender_admin:step_documents", args=[tender.pk])

    # when
    with nothing_written():
        response = client.post(url, {"title": "BOQ", "file": pdf("boq.pdf", b"plain text")})

    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "file": ["This type of file is not accepted. Upload a PDF, PNG or JPEG document."]
    }


def test_an_upload_whose_transaction_fails_leaves_no_file_behind(monkeypatch):
    # given a draft with one document, and an audit trail that fails on the next append
    from core.storage import private_storage

    tender, team = tender_in_state("draft")
    services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specifications", uploaded=pdf()
    )
    _folders, files_before = private_storage.listdir(f"tenders/{tender.pk}")
    events_before = Event.objects.count()

    def trail_down(**kwargs):
        raise RuntimeError("the audit trail is unreachable")

    monkeypatch.setattr("tenders.services.documents.record", trail_down)

    # when a second document is uploaded
    with pytest.raises(RuntimeError, match="unreachable"):
        services.tender_document_upload(
            actor=team.officer, tender=tender, title="Drawings", uploaded=pdf("drawings.pdf")
        )

    # then neither its row nor its file nor an event remains
    _folders, files_after = private_storage.listdir(f"tenders/{tender.pk}")
    assert sorted(files_after) == sorted(files_before)
    assert list(TenderDocument.objects.filter(tender=tender).values_list("title", flat=True)) == [
        "Specifications"
    ]
    assert Event.objects.count() == events_before
