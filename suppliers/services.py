"""Every write the suppliers app offers: one function per use case.

Each entry service runs in one transaction: lock the supplier row, check the
actor's permission, change, save the changed fields, record the audit event
and write the outbox rows for notifications, which leave after commit.
"""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.exceptions import RoleNotAllowed
from accounts.models import Role
from accounts.permissions import Perm, has_perm
from accounts.selectors import acting_capacity
from accounts.services import (
    membership_invite,
    organisation_register_supplier,
    organisation_rename,
)
from audit.services import record
from audit.transitions import run_transition
from core import bilingual, cpv
from core.clock import db_now
from core.exceptions import PermissionDenied
from core.outbox import enqueue
from core.storage import stored_files
from core.uploads import check_upload

from . import countries, selectors
from .exceptions import (
    DocumentRejected,
    InvalidDate,
    NotEditable,
    ReasonRequired,
    RegistrationNumberTaken,
    SupplierIncomplete,
    SupplierInvalidTransition,
    SupplierNotAllowed,
    UnknownChangeTarget,
    UnknownCountry,
    UnknownCpvCode,
    UnknownDocumentKind,
)
from .lock_objects import current_document_for_update, document_for_update, supplier_for_update
from .models import (
    ChangeRequest,
    ChangeRequestItem,
    DocumentKind,
    Supplier,
    SupplierDocument,
    SupplierState,
)
from .notifications import notify_invited_representative, notify_officers, notify_supplier

# What a supplier may fill in, step by step, while its registration is editable.
PROFILE_FIELDS = (
    "legal_name",
    "legal_name_fa",
    "registration_number",
    "tax_id",
    "country",
    "address_line",
    "city",
    "postal_code",
    "contact_email",
    "contact_phone",
    "website",
    "cpv_codes",
)
# Fields whose values stay off the audit trail (they may be a natural person's).
CONTACT_FIELDS = frozenset({"contact_email", "contact_phone"})
REQUIRED_FIELDS = (
    "legal_name",
    "registration_number",
    "tax_id",
    "country",
    "address_line",
    "city",
    "contact_email",
    "contact_phone",
)


def _require(allowed: bool):
    if not allowed:
        raise SupplierNotAllowed()


def _clean_cpv(codes) -> list[str]:
    cleaned = []
    for code in codes or []:
        code = str(code).strip()
        if not cpv.is_valid(code):
            raise UnknownCpvCode(
                _("“%(code)s” is not a CPV 2008 code.") % {"code": code},
                field="cpv_codes",
                params={"code": code},
            )
        if code not in cleaned:
            cleaned.append(code)
    return cleaned


def _clean_country(country: str) -> str:
    code = (country or "").strip().upper()
    if not countries.is_valid(code):
        raise UnknownCountry(field="country", params={"country": country})
    return code


def supplier_register(*, actor, legal_name: str, country: str, **fields) -> Supplier:
    """Start a registration: the company's organisation, its draft, and the actor as its admin."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown supplier fields: {sorted(unknown)}")
    fields["cpv_codes"] = _clean_cpv(fields.get("cpv_codes"))
    country = _clean_country(country)
    with transaction.atomic(durable=True):
        organisation = organisation_register_supplier(
            actor=actor,
            name=legal_name,
            name_fa=fields.get("legal_name_fa", ""),
            country=country.upper(),
        )
        try:
            with transaction.atomic():
                supplier = Supplier.objects.create(
                    organisation=organisation,
                    legal_name=legal_name,
                    country=country.upper(),
                    **fields,
                )
        except IntegrityError as exc:
            raise RegistrationNumberTaken(field="registration_number") from exc
        record(
            action="supplier.registered",
            actor=actor,
            obj=supplier,
            organisation=organisation,
            role=Role.SUPPLIER_ADMIN,
            payload={"legal_name": legal_name, "country": supplier.country},
        )
    return supplier


def supplier_update(*, actor, supplier: Supplier, **fields) -> Supplier:
    """Save part of the registration (one wizard step). Only the changed fields are audited."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown supplier fields: {sorted(unknown)}")
    if "cpv_codes" in fields:
        fields["cpv_codes"] = _clean_cpv(fields["cpv_codes"])
    if "country" in fields:
        fields["country"] = _clean_country(fields["country"])
    with transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        _require(has_perm(actor, Perm.MANAGE_SUPPLIER, supplier))
        if not selectors.registration_editable(supplier):
            raise NotEditable()
        changed = {
            name: (
                # Contact details may be a person's: the trail says they changed, not to what.
                {"changed": True}
                if name in CONTACT_FIELDS
                else {"from": getattr(supplier, name), "to": value}
            )
            for name, value in fields.items()
            if getattr(supplier, name) != value
        }
        if not changed:
            return supplier
        for name in changed:
            setattr(supplier, name, fields[name])
        try:
            with transaction.atomic():
                supplier.save(update_fields=[*changed, "updated_at"])
        except IntegrityError as exc:
            raise RegistrationNumberTaken(field="registration_number") from exc
        if "legal_name" in changed or "legal_name_fa" in changed:
            organisation_rename(
                actor=actor,
                organisation=supplier.organisation,
                name=supplier.legal_name,
                name_fa=supplier.legal_name_fa,
            )
        record(
            action="supplier.updated",
            actor=actor,
            obj=supplier,
            organisation=supplier.organisation,
            role=Role.SUPPLIER_ADMIN,
            payload={"changed": changed},
        )
    return supplier


def supplier_document_upload(
    *,
    actor,
    supplier: Supplier,
    kind: str,
    uploaded,
    issued_on: datetime.date,
    expires_on: datetime.date | None = None,
) -> SupplierDocument:
    """Add a new version of a document; the previous version is kept, no longer current.

    A verified supplier may renew its documents at any time (that is how an
    expired document is replaced); other changes wait for an editable state.
    """
    if kind not in DocumentKind.values:
        raise UnknownDocumentKind(field="kind", params={"kind": kind})
    checked = check_upload(
        uploaded,
        max_bytes=settings.SUPPLIER_DOCUMENT_MAX_BYTES,
        types=settings.SUPPLIER_DOCUMENT_TYPES,
        error=DocumentRejected,
    )
    today = db_now().date()
    _check_document_dates(issued_on=issued_on, expires_on=expires_on, today=today)
    # The file is written before its row; if anything fails before the commit
    # the file is removed again, so a refused upload leaves nothing behind.
    with stored_files() as files, transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        _require(has_perm(actor, Perm.MANAGE_SUPPLIER, supplier))
        if not selectors.documents_renewable(supplier):
            raise NotEditable()
        document = _store_new_version(
            supplier,
            actor=actor,
            kind=kind,
            uploaded=uploaded,
            checked=checked,
            dates=(issued_on, expires_on),
            files=files,
        )
        _record_renewal_if_complete(supplier, actor=actor, today=today)
    return document


def _check_document_dates(*, issued_on, expires_on, today) -> None:
    if expires_on is not None and expires_on <= issued_on:
        raise InvalidDate(_("The expiry date must be after the issue date."), field="expires_on")
    if issued_on > today:
        raise InvalidDate(_("The issue date cannot be in the future."), field="issued_on")


def _store_new_version(
    supplier, *, actor, kind, uploaded, checked, dates, files
) -> SupplierDocument:
    """Store the file and its row as the current version of `kind`, and record it.

    The file is stored through `files` (`core.storage.stored_files`), which
    removes it again if the transaction does not commit.
    """
    issued_on, expires_on = dates
    previous = current_document_for_update(supplier=supplier, kind=kind)
    version = 1
    if previous is not None:
        version = previous.version + 1
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    document = SupplierDocument(
        supplier=supplier,
        kind=kind,
        version=version,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        issued_on=issued_on,
        expires_on=expires_on,
        uploaded_by=actor,
    )
    files.save(document.file, checked.sha256, uploaded)
    document.save()
    record(
        action="supplier.document_uploaded",
        actor=actor,
        obj=supplier,
        organisation=supplier.organisation,
        role=Role.SUPPLIER_ADMIN,
        payload={
            "document_id": document.pk,
            "kind": kind,
            "version": version,
            "sha256": checked.sha256,
            "size": checked.size,
            "content_type": checked.content_type,
            "issued_on": issued_on,
            "expires_on": expires_on,
        },
    )
    return document


def _record_renewal_if_complete(supplier, *, actor, today) -> None:
    """A supplier whose required documents had expired may bid again once all are valid."""
    if not supplier.documents_expired_since or _expired_required_kinds(supplier, today):
        return
    previous_since = supplier.documents_expired_since
    supplier.documents_expired_since = None
    supplier.save(update_fields=["documents_expired_since", "updated_at"])
    record(
        action="supplier.documents_renewed",
        actor=actor,
        obj=supplier,
        organisation=supplier.organisation,
        payload={"expired_since": previous_since},
    )


def missing_for_submission(supplier: Supplier) -> list[str]:
    """What the registration still lacks, as readable sentences (empty when complete)."""
    missing = [
        _("%(field)s is required.")
        % {"field": str(Supplier._meta.get_field(name).verbose_name).capitalize()}
        for name in REQUIRED_FIELDS
        if not getattr(supplier, name)
    ]
    if not supplier.cpv_codes:
        missing.append(_("Choose at least one business category (CPV)."))
    current = set(
        SupplierDocument.objects.filter(supplier=supplier, is_current=True).values_list(
            "kind", flat=True
        )
    )
    for kind in settings.SUPPLIER_REQUIRED_DOCUMENTS:
        if kind not in current:
            missing.append(_("Upload the document: %(kind)s.") % {"kind": DocumentKind(kind).label})
    return missing


def supplier_submit(*, actor, supplier: Supplier) -> Supplier:
    """Send the registration for verification (again, after requested changes)."""
    with transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        _require(has_perm(actor, Perm.MANAGE_SUPPLIER, supplier))
        missing = missing_for_submission(supplier)
        if missing:
            raise SupplierIncomplete(" ".join(missing), params={"missing": missing})
        resubmission = supplier.state == SupplierState.CHANGES_REQUESTED
        run_transition(
            supplier,
            supplier.submit,
            actor=actor,
            action="supplier.submitted",
            **acting_capacity(actor, Perm.MANAGE_SUPPLIER, supplier),
            update_fields=["submitted_at", "updated_at"],
            error=SupplierInvalidTransition,
            payload={"resubmission": resubmission},
            at=db_now(),
        )
        ChangeRequest.objects.filter(supplier=supplier, resolved_at__isnull=True).update(
            resolved_at=supplier.submitted_at
        )
        notify_officers(supplier, event="submitted")
    return supplier


def is_change_target(target_type, target) -> bool:
    """Whether an officer may ask for a change of `target`: a profile field or a document kind."""
    return (target_type == ChangeRequestItem.Target.FIELD and target in PROFILE_FIELDS) or (
        target_type == ChangeRequestItem.Target.DOCUMENT and target in DocumentKind.values
    )


def supplier_request_changes(*, actor, supplier: Supplier, items: list[dict]) -> ChangeRequest:
    """Return the registration to the supplier with a reason per field or document.

    `items` is a list of {"target_type": "field"|"document", "target": name, "reason": text}.
    """
    cleaned = []
    for item in items:
        reason = (item.get("reason") or "").strip()
        target_type = item.get("target_type")
        target = item.get("target")
        if not is_change_target(target_type, target):
            raise UnknownChangeTarget(
                field="items", params={"target_type": target_type, "target": target}
            )
        if reason:
            cleaned.append((target_type, target, reason))
    if not cleaned:
        raise ReasonRequired(_("Give a reason for at least one field or document."))
    with transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        _require(has_perm(actor, Perm.VERIFY_SUPPLIERS, supplier))
        summary = [{"target_type": t, "target": n, "reason": r} for t, n, r in cleaned]
        run_transition(
            supplier,
            supplier.request_changes,
            actor=actor,
            action="supplier.changes_requested",
            **acting_capacity(actor, Perm.VERIFY_SUPPLIERS, supplier),
            reason=_change_request_reason(cleaned),
            update_fields=["updated_at"],
            error=SupplierInvalidTransition,
            payload={"items": summary},
        )
        request = ChangeRequest.objects.create(supplier=supplier, requested_by=actor)
        ChangeRequestItem.objects.bulk_create(
            ChangeRequestItem(change_request=request, target_type=t, target=n, reason=r)
            for t, n, r in cleaned
        )
        notify_supplier(supplier, event="changes_requested")
    return request


def _change_request_reason(items) -> str:
    """One line per requested change, "<field or document>: <reason>", for the record.

    The record is written once, so the labels are in the platform's language;
    the payload keeps the machine names.
    """
    with translation.override(settings.LANGUAGE_CODE):
        lines = []
        for target_type, target, reason in items:
            if target_type == ChangeRequestItem.Target.FIELD:
                label = str(Supplier._meta.get_field(target).verbose_name).capitalize()
            else:
                label = str(DocumentKind(target).label)
            lines.append(f"{label}: {reason}")
    return "\n".join(lines)


def _decide(
    *,
    actor,
    supplier: Supplier,
    transition: str,
    action: str,
    event: str,
    perm: Perm,
    update_fields: list[str],
    reason: str = "",
    payload: dict | None = None,
    by_platform: bool = False,
    **kwargs,
) -> Supplier:
    """An officer's or oversight decision: lock, check, transition with its event, notify.

    `perm` is the permission, on the supplier; the audit event records the
    capacity (organisation and role) in which the actor holds it. With
    `by_platform`, the platform itself (actor None, e.g. the daily job) may take
    the decision too.
    """
    with transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        if not (by_platform and actor is None):
            _require(has_perm(actor, perm, supplier))
        run_transition(
            supplier,
            getattr(supplier, transition),
            actor=actor,
            action=action,
            **acting_capacity(actor, perm, supplier),
            reason=reason,
            update_fields=[*update_fields, "updated_at"],
            error=SupplierInvalidTransition,
            payload=payload,
            **kwargs,
        )
        notify_supplier(supplier, event=event)
    return supplier


def supplier_verify(*, actor, supplier: Supplier, reason: str = "") -> Supplier:
    return _decide(
        actor=actor,
        supplier=supplier,
        transition="verify",
        action="supplier.verified",
        event="verified",
        perm=Perm.VERIFY_SUPPLIERS,
        update_fields=["verified_at"],
        reason=reason,
        at=db_now(),
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonRequired(field="reason")
    return reason


def supplier_suspend(*, actor, supplier: Supplier, reason: str) -> Supplier:
    reason = _reason(reason)
    return _decide(
        actor=actor,
        supplier=supplier,
        transition="suspend",
        action="supplier.suspended",
        event="suspended",
        perm=Perm.VERIFY_SUPPLIERS,
        update_fields=["suspension_reason"],
        reason=reason,
        grounds=reason,
    )


def supplier_reinstate(*, actor, supplier: Supplier, reason: str) -> Supplier:
    return _decide(
        actor=actor,
        supplier=supplier,
        transition="reinstate",
        action="supplier.reinstated",
        event="reinstated",
        perm=Perm.VERIFY_SUPPLIERS,
        update_fields=["suspension_reason"],
        reason=_reason(reason),
    )


def supplier_debar(
    *, actor, supplier: Supplier, reason: str, until: datetime.date, reason_fa: str = ""
) -> Supplier:
    """Exclude a supplier from public procurement until a date (an oversight decision).

    The public reason in English, in Persian or both (core.bilingual.pair).
    """
    english, persian = bilingual.pair(reason, reason_fa)
    reason = _reason(bilingual.both(english, persian))
    _require(has_perm(actor, Perm.DEBAR_SUPPLIERS, supplier))
    today = db_now().date()
    if until <= today:
        raise InvalidDate(_("The end date must be in the future."), field="until")
    return _decide(
        actor=actor,
        supplier=supplier,
        transition="debar",
        action="supplier.debarred",
        event="debarred",
        perm=Perm.DEBAR_SUPPLIERS,
        update_fields=[
            "debarment_reason",
            "debarment_reason_fa",
            "debarred_from",
            "debarred_until",
            "suspension_reason",
        ],
        reason=reason,
        payload={"debarred_from": today, "debarred_until": until},
        grounds=english,
        grounds_fa=persian,
        start=today,
        until=until,
    )


def supplier_end_debarment(*, actor, supplier: Supplier, reason: str) -> Supplier:
    """Lift a debarment: by the job when its end date comes, or by an oversight decision."""
    return _decide(
        actor=actor,
        supplier=supplier,
        transition="end_debarment",
        action="supplier.debarment_ended",
        event="debarment_ended",
        perm=Perm.DEBAR_SUPPLIERS,
        update_fields=[
            "debarment_reason",
            "debarment_reason_fa",
            "debarred_from",
            "debarred_until",
        ],
        reason=_reason(reason),
        by_platform=True,
    )


def _expired_required_kinds(supplier: Supplier, today: datetime.date) -> list[str]:
    required = settings.SUPPLIER_REQUIRED_DOCUMENTS
    current = {
        doc.kind: doc
        for doc in SupplierDocument.objects.filter(
            supplier=supplier, is_current=True, kind__in=required
        )
    }
    return [
        kind
        for kind in required
        if kind in current and current[kind].expires_on and current[kind].expires_on < today
    ]


def supplier_documents_sweep(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: expiry warnings, expired documents, debarments that end.

    Idempotent: a document is warned about once per version, a supplier is
    marked once per lapse, and a second run on the same day changes nothing.
    Each change is its own transaction with its own audit event.
    """
    from .selectors import documents_expiring

    today = today or db_now().date()
    counts = {"warned": 0, "expired": 0, "debarments_ended": 0}
    window = settings.SUPPLIER_EXPIRY_WARNING_DAYS
    for document_id in documents_expiring(today=today, within_days=window).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            document = document_for_update(document_id)
            if document.expiry_warned_on is not None or not document.is_current:
                continue
            document.expiry_warned_on = today
            document.save(update_fields=["expiry_warned_on", "updated_at"])
            record(
                action="supplier.document_expiry_warned",
                obj=document.supplier,
                organisation=document.supplier.organisation,
                payload={
                    "document_id": document.pk,
                    "kind": document.kind,
                    "version": document.version,
                    "expires_on": document.expires_on,
                },
            )
            notify_supplier(document.supplier, event="document_expiring", document=document)
            counts["warned"] += 1

    lapsed = (
        Supplier.objects.filter(
            documents_expired_since__isnull=True,
            documents__is_current=True,
            documents__kind__in=settings.SUPPLIER_REQUIRED_DOCUMENTS,
            documents__expires_on__lt=today,
        )
        .values_list("pk", flat=True)
        .distinct()
    )
    for supplier_id in list(lapsed):
        with transaction.atomic():
            supplier = supplier_for_update(supplier_id)
            kinds = _expired_required_kinds(supplier, today)
            if supplier.documents_expired_since is not None or not kinds:
                continue
            supplier.documents_expired_since = today
            supplier.save(update_fields=["documents_expired_since", "updated_at"])
            record(
                action="supplier.documents_expired",
                obj=supplier,
                organisation=supplier.organisation,
                payload={"kinds": kinds},
                reason=_(
                    "A required document has expired; the supplier may not bid until it is renewed."
                ),
            )
            notify_supplier(supplier, event="documents_expired")
            counts["expired"] += 1

    ended = Supplier.objects.filter(state=SupplierState.DEBARRED, debarred_until__lte=today)
    for supplier in list(ended):
        supplier_end_debarment(
            actor=None, supplier=supplier, reason=_("The debarment period has ended.")
        )
        counts["debarments_ended"] += 1
    return counts


REPRESENTATIVE_ROLES = (Role.SUPPLIER_ADMIN, Role.BIDDER)
REPRESENTATIVE_INVITATION_TOPIC = "suppliers.send_representative_invitation"


def supplier_invite_representative(
    *, actor, supplier: Supplier, email: str, name: str = "", role: str
):
    """Invite a person to act for the supplier; they become a member once they accept.

    Through accounts' `membership_invite` (its checks, its `membership.invited`
    event). A person with an account is told in-app and accepts on their
    invitations page; an unknown address gets an account without a usable
    password and an e-mail whose link lets them choose one (the link's token is
    made when the e-mail is sent, never stored), and then accepts the same way.
    """
    if role not in REPRESENTATIVE_ROLES:
        raise RoleNotAllowed(field="role", params={"role": role})
    with transaction.atomic(durable=True):
        supplier = supplier_for_update(supplier)
        _require(has_perm(actor, Perm.MANAGE_SUPPLIER, supplier))
        try:
            invitation = membership_invite(
                actor=actor, organisation=supplier.organisation, email=email, role=role, name=name
            )
        except PermissionDenied:
            raise SupplierNotAllowed() from None
        user = invitation.user
        if not user.has_usable_password():
            enqueue(
                topic=REPRESENTATIVE_INVITATION_TOPIC,
                payload={"user_id": user.pk, "supplier_id": supplier.pk, "invited_by": actor.pk},
            )
        else:
            notify_invited_representative(supplier, user=user, role=role)
    return invitation
