"""The documents of a draft tender (after publication, they change through an amendment)."""

from django.conf import settings
from django.db import transaction

from audit.services import record
from core.clock import db_now
from core.storage import stored_files
from core.uploads import CheckedUpload, check_upload

from .. import validation
from ..exceptions import TenderDocumentRejected
from ..lock_objects import tender_documents_for_update
from ..models import Tender, TenderDocument
from .steps import buyer_role_payload, locked_draft


def tender_document_upload(*, actor, tender: Tender, title: str, uploaded, title_fa: str = ""):
    """Add a document to a draft, or a new version of the one with the same title.

    `title` names the document across its versions, in either language;
    `title_fa` is its Persian beside an English title (a new version without
    one keeps the previous version's).

    The content is checked (type by its magic number, size, name) and hashed
    before anything is stored. Drafts only: after publication a document
    changes only through an amendment (`tender_amend(documents=..., withdraw=...)`).
    """
    title = validation.clean_text(title, field="title", required=True, max_length=300)
    title_fa = validation.clean_text(title_fa, field="title_fa", max_length=300)
    checked = check_document(uploaded)
    with stored_files() as files, transaction.atomic(durable=True):
        tender = locked_draft(actor, tender.pk)
        versions = tender_documents_for_update(tender=tender, titles=[title])
        previous = versions[-1] if versions else None
        TenderDocument.objects.filter(tender=tender, title=title, is_current=True).update(
            is_current=False
        )
        document = TenderDocument(
            tender=tender,
            title=title,
            title_fa=title_fa or (previous.title_fa if previous else ""),
            version=previous.version + 1 if previous else 1,
            is_current=True,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            created_at=db_now(),
        )
        uploaded.seek(0)
        files.save(document.file, checked.sha256, uploaded)
        document.save()
        record(
            action="tender.document_uploaded",
            actor=actor,
            obj=tender,
            payload={
                "document_id": document.pk,
                "title": title,
                # its Persian title, when it has one
                **({"title_fa": document.title_fa} if document.title_fa else {}),
                "version": document.version,
                "original_name": checked.name,
                "size": checked.size,
                "sha256": checked.sha256,
            },
            **buyer_role_payload(tender),
        )
    return document


def check_document(uploaded) -> CheckedUpload:
    """Check a tender document's upload (type by content, size, name) and hash it."""
    return check_upload(
        uploaded,
        max_bytes=settings.TENDER_DOCUMENT_MAX_BYTES,
        types=settings.TENDER_DOCUMENT_TYPES,
        error=TenderDocumentRejected,
    )
