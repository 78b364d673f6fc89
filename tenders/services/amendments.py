"""Amending a published tender: a numbered, public corrigendum, its documents included."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from audit.services import record
from core import bilingual
from core.clock import db_now
from core.money import money_columns
from core.outbox import enqueue
from core.storage import stored_files
from core.templatetags.panjere import localdatetime, localnumber

from .. import ocds, validation
from ..exceptions import (
    CurrencyNotAmendable,
    InvalidTenderField,
    MaterialAmendmentTooLate,
    NotAmendable,
    TenderDocumentRejected,
    TenderInvalidTransition,
    UnknownTenderDocument,
)
from ..lock_objects import tender_documents_for_update, tender_for_update
from ..models import Amendment, Tender, TenderDocument
from ..notifications import followers, notify_tender
from ..selectors import takes_bids
from .documents import check_document
from .fields import AMENDABLE_FIELDS, DATE_FIELDS, DRAFT_FIELDS, MONEY_FIELDS, jsonable
from .steps import buyer_role_payload, require


def tender_amend(
    *,
    actor,
    tender: Tender,
    summary: str = "",
    changes: dict | None = None,
    material: bool = False,
    notice: str = "",
    documents=(),
    withdraw=(),
    summary_fa: str = "",
    notice_fa: str = "",
) -> Amendment:
    """Publish a numbered amendment (corrigendum) changing a published tender.

    `changes` maps fields of AMENDABLE_FIELDS to their new values; the
    amendment keeps the diff of those that really changed. Changed dates must
    be in the future and all dates stay in order; the submission deadline
    stays at least the method's minimum period after publication. A material
    amendment must leave at least TENDER_MATERIAL_AMENDMENT_MIN_DAYS between
    now and the (possibly new) submission deadline: if the deadline is too
    close, the same amendment must extend it.

    `documents` lists (title, uploaded file) pairs: a new title adds a
    document, an existing one adds its next version (the earlier versions stay
    listed and downloadable; the new one becomes current). `withdraw` lists
    titles of current documents to withdraw: the version stays in the history,
    marked withdrawn by this amendment. Files are checked like every upload
    (`check_document`) before anything is locked or stored.

    A change of the tender documents is always material (as procurement law
    treats it: bidders must have time to read the new documents): with
    `documents` or `withdraw`, the amendment is material whatever `material`
    says, and the minimum period applies. The diff lists the document changes
    under "documents" (change, title, version, original name, size, SHA-256).

    The summary and the notice in English, in Persian or both
    (core.bilingual.pair: one text alone goes where its script says).

    A refusal leaves nothing: no row, no stored file, no event, no outbox row.
    """
    summary, summary_fa = bilingual.pair(
        validation.clean_text(summary, field="summary", max_length=500),
        validation.clean_text(summary_fa, field="summary_fa", max_length=500),
    )
    validation.require_one(summary, summary_fa, field="summary")
    notice, notice_fa = bilingual.pair(
        validation.clean_text(notice, field="notice"),
        validation.clean_text(notice_fa, field="notice_fa"),
    )
    changes = changes or {}
    for name in changes:
        if name not in AMENDABLE_FIELDS:
            raise NotAmendable(field=name, params={"field": name})
    cleaned = {name: DRAFT_FIELDS[name](value) for name, value in changes.items()}
    checked, withdraw = _clean_amendment_documents(list(documents), list(withdraw))
    material = bool(material) or bool(checked or withdraw)
    with stored_files() as files, transaction.atomic(durable=True):
        amendment = _amend(
            actor=actor,
            tender=tender,
            summary=summary,
            notice=notice,
            summary_fa=summary_fa,
            notice_fa=notice_fa,
            material=material,
            cleaned=cleaned,
            checked=checked,
            withdraw=withdraw,
            files=files,
        )
    return amendment


def _amend(
    *,
    actor,
    tender,
    summary,
    notice,
    summary_fa,
    notice_fa,
    material,
    cleaned,
    checked,
    withdraw,
    files,
) -> Amendment:
    """The amendment's steps, under the tender's lock: check, change, number, record, tell."""
    tender = tender_for_update(tender)
    require(has_perm(actor, Perm.DRAFT_TENDER, tender))
    if not takes_bids(tender):
        raise TenderInvalidTransition(
            _("Only a published tender, open for bids, can be amended."),
            params={"state": tender.state},
        )
    now = db_now()
    diff = _change_fields(tender, cleaned, now=now)
    document_entries, to_withdraw = _document_changes(tender, checked, withdraw)
    if material:
        _check_material_period(tender, now=now)
    field_names = sorted(diff)
    if field_names:
        tender.save(update_fields=[*money_columns(Tender, field_names), "updated_at"])
    if document_entries:
        diff["documents"] = document_entries
    amendment = Amendment.objects.create(
        tender=tender,
        number=next_amendment_number(tender),
        created_at=now,
        created_by=actor,
        summary=summary,
        summary_fa=summary_fa,
        material=material,
        changes=diff,
        notice=notice,
        notice_fa=notice_fa,
    )
    payload = {
        "amendment_id": amendment.pk,
        "number": amendment.number,
        "material": amendment.material,
        "changes": diff,
    }
    if document_entries:
        payload["documents"] = _apply_document_changes(
            tender,
            actor=actor,
            amendment=amendment,
            checked=checked,
            to_withdraw=to_withdraw,
            files=files,
        )
    _publish(tender, actor=actor, amendment=amendment, payload=payload)
    return amendment


def _change_fields(tender: Tender, cleaned: dict, *, now) -> dict:
    """Set the fields that really change and check the dates; return the diff (nothing saved)."""
    for name in set(cleaned) & set(MONEY_FIELDS):
        current = getattr(tender, name)
        if cleaned[name].currency != current.currency:
            raise CurrencyNotAmendable(
                _(
                    "The amount stays in %(currency)s: an amendment can change an amount, "
                    "not its currency."
                )
                % {"currency": current.currency.code},
                field=name,
                params={"currency": current.currency.code},
            )
    diff = {
        name: {"from": jsonable(getattr(tender, name)), "to": jsonable(value)}
        for name, value in cleaned.items()
        if getattr(tender, name) != value
    }
    for name in diff:
        setattr(tender, name, cleaned[name])
    validation.check_dates(
        clarification_deadline=tender.clarification_deadline,
        submission_deadline=tender.submission_deadline,
        opening_at=tender.opening_at,
        now=now,
        future=set(DATE_FIELDS) & set(diff),
    )
    if "submission_deadline" in diff:
        validation.check_min_period(
            method=tender.procurement_method,
            published_at=tender.published_at,
            submission_deadline=tender.submission_deadline,
        )
    return diff


def _check_material_period(tender: Tender, *, now) -> None:
    """Refuse a material amendment that leaves less than the minimum days before the deadline."""
    minimum = datetime.timedelta(days=settings.TENDER_MATERIAL_AMENDMENT_MIN_DAYS)
    if tender.submission_deadline - now >= minimum:
        return
    earliest = now + minimum
    raise MaterialAmendmentTooLate(
        _(
            "A material amendment must leave at least %(days)s days before the "
            "submission deadline: extend the deadline in this amendment to "
            "%(earliest)s (Tehran time) or later."
        )
        % {
            "days": localnumber(minimum.days),
            "earliest": localdatetime(earliest),
        },
        field="submission_deadline",
        params={"min_days": minimum.days, "earliest": earliest.isoformat()},
    )


# The outbox topic of a material amendment: the bidding app (one floor up, so never
# imported here) marks the bids already submitted and asks their suppliers to confirm or
# resubmit (settings.OUTBOX_HANDLERS maps it to bidding.outbox_handlers).
AMENDED_TOPIC = "tenders.amended"


def _publish(tender: Tender, *, actor, amendment: Amendment, payload: dict) -> None:
    """What an amendment causes: its OCDS release, its audit event, the followers told,
    and, when it is material, the bidders asked to confirm or resubmit (after commit)."""
    ocds.release_record(tender=tender, tag=ocds.TAG_AMENDMENT, amendment=amendment)
    record(
        action="tender.amended",
        actor=actor,
        obj=tender,
        payload=payload,
        reason=bilingual.both(amendment.summary, amendment.summary_fa),
        **buyer_role_payload(tender),
    )
    notify_tender(
        tender,
        event="amended",
        recipients=followers(tender),
        exclude=actor,
        number=amendment.number,
        summary=bilingual.both(amendment.summary, amendment.summary_fa),
    )
    if amendment.material:
        enqueue(topic=AMENDED_TOPIC, payload={"tender_id": tender.pk, "amendment_id": amendment.pk})


def next_amendment_number(tender: Tender) -> int:
    return (tender.amendments.aggregate(last=Max("number"))["last"] or 0) + 1


def _clean_amendment_documents(documents, withdraw) -> tuple[list, list[str]]:
    """Check every title and file of an amendment before anything is locked or stored.

    Returns [(title, uploaded, CheckedUpload)] and the titles to withdraw. A
    refusal names the row it is about: `documents.<index>.title` or
    `documents.<index>.file` (0-based, in the order given), or `withdraw`.
    """
    checked, titles = [], set()
    for index, (title, uploaded) in enumerate(documents):
        prefix = f"documents.{index}"
        title = validation.clean_text(title, field=f"{prefix}.title", required=True, max_length=300)
        if title in titles:
            raise InvalidTenderField(
                _("Two documents of this amendment have the same title."),
                field=f"{prefix}.title",
                params={"title": title},
            )
        titles.add(title)
        try:
            upload = check_document(uploaded)
        except TenderDocumentRejected as exc:
            exc.field = f"{prefix}.file"
            raise
        checked.append((title, uploaded, upload))
    withdrawn = []
    for title in withdraw:
        title = validation.clean_text(title, field="withdraw", required=True, max_length=300)
        if title in titles:
            raise InvalidTenderField(
                _(
                    "“%(title)s” cannot be both withdrawn and replaced: a new version "
                    "replaces the current one by itself."
                )
                % {"title": title},
                field="withdraw",
                params={"title": title},
            )
        if title not in withdrawn:
            withdrawn.append(title)
    return checked, withdrawn


def _document_changes(tender: Tender, checked: list, withdraw: list[str]) -> tuple[list, dict]:
    """What an amendment does to the documents, as diff entries, and the versions it withdraws.

    Refuses to withdraw a title that has no current version. Runs under the
    tender's lock, so the versions it counts cannot move.
    """
    titles = [title for title, _uploaded, _upload in checked] + withdraw
    versions = tender_documents_for_update(tender=tender, titles=titles)
    last = {document.title: document for document in versions}
    current = {document.title: document for document in versions if document.is_current}
    entries = []
    for title, _uploaded, upload in checked:
        previous = last.get(title)
        entries.append(
            {
                "change": "new_version" if title in current else "added",
                "title": title,
                **_persian_title(previous),
                "version": previous.version + 1 if previous else 1,
                "original_name": upload.name,
                "size": upload.size,
                "sha256": upload.sha256,
            }
        )
    to_withdraw = {}
    for title in withdraw:
        if title not in current:
            raise UnknownTenderDocument(
                _("The tender has no current document titled “%(title)s”.") % {"title": title},
                field="withdraw",
                params={"title": title},
            )
        document = current[title]
        to_withdraw[title] = document
        entries.append(
            {
                "change": "withdrawn",
                "title": title,
                **_persian_title(document),
                "version": document.version,
                "original_name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
            }
        )
    return entries, to_withdraw


def _persian_title(document) -> dict:
    """{"title_fa": ...} for a diff entry when the document has a Persian title, else {}."""
    return {"title_fa": document.title_fa} if document is not None and document.title_fa else {}


def _apply_document_changes(
    tender: Tender, *, actor, amendment: Amendment, checked: list, to_withdraw: dict, files
) -> list[dict]:
    """Store the new versions and mark the withdrawn ones; return the audit entries.

    Files are stored through `files` (`core.storage.stored_files`), which removes
    them again if the transaction does not commit.
    """
    ids = {}
    for title, document in to_withdraw.items():
        document.is_current = False
        document.withdrawn_by_amendment = amendment
        document.save(update_fields=["is_current", "withdrawn_by_amendment"])
        ids[title] = document.pk
    versions = {
        entry["title"]: entry["version"]
        for entry in amendment.changes["documents"]
        if entry["change"] != "withdrawn"
    }
    for title, uploaded, upload in checked:
        # A new version keeps the Persian title of the one before it.
        title_fa = (
            TenderDocument.objects.filter(tender=tender, title=title)
            .order_by("-pk")
            .values_list("title_fa", flat=True)
            .first()
        )
        TenderDocument.objects.filter(tender=tender, title=title, is_current=True).update(
            is_current=False
        )
        document = TenderDocument(
            tender=tender,
            title=title,
            title_fa=title_fa or "",
            version=versions[title],
            is_current=True,
            original_name=upload.name,
            content_type=upload.content_type,
            size=upload.size,
            sha256=upload.sha256,
            uploaded_by=actor,
            created_at=amendment.created_at,
            amendment=amendment,
        )
        uploaded.seek(0)
        files.save(document.file, upload.sha256, uploaded)
        document.save()
        ids[title] = document.pk
    return [
        {"document_id": ids[entry["title"]], **entry} for entry in amendment.changes["documents"]
    ]
