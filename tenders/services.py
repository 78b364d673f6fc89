"""Every write the tenders app offers: one function per use case.

Each entry service runs in one transaction: lock the tender row (and, when
several, in primary-key order), check the actor's permission, check the
state, validate, change, save the changed fields, record the audit event and
write the outbox rows for notifications, which leave after commit. "Now" is
always the database clock (`core.clock.db_now`).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Model
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import can_proceed

from accounts.models import OrganisationKind, Role
from audit.services import record
from audit.transitions import run_transition
from core.clock import db_now
from core.uploads import CheckedUpload, check_upload

from . import ocds, permissions, validation
from .exceptions import (
    AlreadyAnswered,
    AlreadyInvited,
    ClarificationPeriodOver,
    DeadlineNotReached,
    FourEyesViolation,
    InvalidOutage,
    InvalidTenderField,
    InvitationNotFound,
    MaterialAmendmentTooLate,
    NotAmendable,
    NotInvited,
    OutageOverlaps,
    ReasonRequired,
    ReferenceTaken,
    SupplierNotEligible,
    TenderDocumentRejected,
    TenderIncomplete,
    TenderInvalidTransition,
    TenderNotAllowed,
    TenderNotEditable,
    TenderNotPublic,
    TenderNotRestricted,
)
from .models import (
    Amendment,
    Clarification,
    CommitteeKind,
    CommitteeMembership,
    EnvelopeScheme,
    EvaluationMethod,
    Follow,
    Invitation,
    Item,
    Lot,
    MainCategory,
    Outage,
    ProcurementMethod,
    Tender,
    TenderState,
)
from .notifications import followers, notify_tender
from .publication import run_publish_hooks

DATE_FIELDS = ("clarification_deadline", "submission_deadline", "opening_at")
EVALUATION_FIELDS = ("evaluation_method", "evaluation_config", "envelope_scheme")


def _text(name, max_length=None, required=False):
    return lambda value: validation.clean_text(
        value, field=name, required=required, max_length=max_length
    )


def _choice(name, choices):
    return lambda value: validation.clean_choice(value, choices, field=name)


def _money(name):
    return lambda value: validation.clean_money(value, field=name)


def _currency(name):
    return lambda value: validation.clean_currency(value, field=name)


def _date(name):
    return lambda value: validation.clean_datetime(value, field=name)


def _approver(value):
    if value is not None and not isinstance(value, Model):
        raise TypeError("approver: pass a User or None.")
    return value


# What an officer may set while the tender is a draft, and how each is cleaned.
DRAFT_FIELDS = {
    "reference": validation.clean_reference,
    "title": _text("title", 300, required=True),
    "title_fa": _text("title_fa", 300),
    "description": _text("description"),
    "description_fa": _text("description_fa"),
    "procurement_method": _choice("procurement_method", ProcurementMethod),
    "main_category": _choice("main_category", MainCategory),
    "cpv_code": lambda value: validation.clean_cpv(value, field="cpv_code"),
    "additional_cpv_codes": lambda value: validation.clean_cpv_list(
        value, field="additional_cpv_codes"
    ),
    "estimated_value": _money("estimated_value"),
    "currency": _currency("currency"),
    "document_fee": _money("document_fee"),
    "document_fee_currency": _currency("document_fee_currency"),
    "envelope_scheme": _choice("envelope_scheme", EnvelopeScheme),
    "evaluation_method": _choice("evaluation_method", EvaluationMethod),
    # Checked with the method and the envelope scheme (validation.clean_evaluation).
    "evaluation_config": lambda value: {} if value is None else value,
    "required_documents": validation.clean_required_documents,
    "required_declarations": validation.clean_declarations,
    "clarification_deadline": _date("clarification_deadline"),
    "submission_deadline": _date("submission_deadline"),
    "opening_at": _date("opening_at"),
    "opening_threshold": validation.clean_threshold,
    "approver": _approver,
}
# What an amendment may change once the tender is public. The method, the envelope
# scheme, the evaluation and the committees are fixed at publication: the tender's
# keys and the bidders' sealed envelopes depend on them.
AMENDABLE_FIELDS = (
    "title",
    "title_fa",
    "description",
    "description_fa",
    "additional_cpv_codes",
    "estimated_value",
    "document_fee",
    "required_documents",
    "required_declarations",
    "clarification_deadline",
    "submission_deadline",
    "opening_at",
)
LOT_FIELDS = {
    "title": _text("title", 300, required=True),
    "title_fa": _text("title_fa", 300),
    "description": _text("description"),
    "estimated_value": _money("estimated_value"),
    "bid_security_amount": _money("bid_security_amount"),
}
ITEM_FIELDS = {
    "description": _text("description", 500, required=True),
    "quantity": validation.clean_quantity,
    "unit": _text("unit", 32, required=True),
    "cpv_code": lambda value: validation.clean_cpv(value, field="cpv_code", required=False),
}


# --- shared steps ---------------------------------------------------------------------------


def jsonable(value):
    """A value as it appears in an audit payload or an amendment's diff."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    return value


def _lock(tender: Tender) -> Tender:
    return Tender.objects.select_for_update().get(pk=tender.pk)


def _require(allowed: bool):
    if not allowed:
        raise TenderNotAllowed()


def _reason(value, *, field: str = "reason") -> str:
    reason = "" if value is None else str(value).strip()
    if not reason:
        raise ReasonRequired(field=field)
    return reason


def _ensure_can(tender: Tender, transition) -> None:
    """Refuse, before any validation, a transition the current state does not allow."""
    if not can_proceed(transition):
        raise TenderInvalidTransition(
            _("“%(action)s” is not possible while the tender is “%(state)s”.")
            % {
                "action": transition.__name__.replace("_", " "),
                "state": TenderState(tender.state).label,
            },
            params={"from": tender.state, "transition": transition.__name__},
        )


def _transition(
    tender, transition, *, actor, action, update_fields=(), reason="", payload=None, **kwargs
):
    run_transition(
        tender,
        transition,
        actor=actor,
        action=action,
        reason=reason,
        payload=payload,
        update_fields=[*update_fields, "updated_at"],
        error=TenderInvalidTransition,
        **kwargs,
    )


def _require_draft(tender: Tender) -> None:
    if tender.state != TenderState.DRAFT:
        raise TenderNotEditable(params={"state": tender.state})


def _committee_ids(tender: Tender, kind: str) -> list[int]:
    if tender.pk is None:
        return []
    return list(
        CommitteeMembership.objects.filter(tender=tender, kind=kind)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )


def _set_committee(tender: Tender, kind: str, users) -> None:
    CommitteeMembership.objects.filter(tender=tender, kind=kind).delete()
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(tender=tender, user=user, kind=kind) for user in users
    )


def _apply_draft_fields(
    tender: Tender, fields: dict, *, opening, evaluation, now: datetime.datetime
) -> dict:
    """Clean `fields` and the committees, set them on `tender`; return the diff.

    The diff maps each changed field to {"from": old, "to": new} in JSON
    values. Nothing is saved here.
    """
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown tender fields: {sorted(unknown)}")
    cleaned = {name: DRAFT_FIELDS[name](value) for name, value in fields.items()}

    def current(name):
        return tender.approver_id if name == "approver" else getattr(tender, name)

    touched = set(cleaned)
    if touched & set(EVALUATION_FIELDS):
        touched |= set(EVALUATION_FIELDS)
    before = {name: current(name) for name in touched}
    for name, value in cleaned.items():
        setattr(tender, name, value)
    if touched & set(EVALUATION_FIELDS):
        tender.evaluation_config = validation.clean_evaluation(
            tender.evaluation_method, tender.evaluation_config, tender.envelope_scheme
        )
    diff = {
        name: {"from": jsonable(before[name]), "to": jsonable(current(name))}
        for name in sorted(touched)
        if before[name] != current(name)
    }
    if "reference" in diff:
        tender.ocid = validation.ocid_for(tender.reference)

    validation.check_dates(
        clarification_deadline=tender.clarification_deadline,
        submission_deadline=tender.submission_deadline,
        opening_at=tender.opening_at,
        now=now,
        future=set(DATE_FIELDS) & set(diff),
    )
    period_changed = {"submission_deadline", "procurement_method"} & set(diff)
    if tender.submission_deadline is not None and period_changed:
        # Publication cannot come before now: a deadline too close to now will not do either.
        validation.check_min_period(
            method=tender.procurement_method,
            published_at=now,
            submission_deadline=tender.submission_deadline,
        )
    if "approver" in diff:
        validation.check_approver(
            tender.approver, buyer_id=tender.buyer_id, officer_ids={tender.created_by_id}
        )

    for kind, users, field in (
        (CommitteeKind.OPENING, opening, "opening_committee"),
        (CommitteeKind.EVALUATION, evaluation, "evaluation_committee"),
    ):
        if users is None:
            continue
        validation.check_committee_members(tender.buyer_id, users, field=field)
        old, new = _committee_ids(tender, kind), [user.pk for user in users]
        if old != new:
            diff[field] = {"from": old, "to": new}
    if "opening_threshold" in diff or "opening_committee" in diff:
        size = len(opening) if opening is not None else len(_committee_ids(tender, "opening"))
        validation.check_opening_threshold(tender.opening_threshold, size)
    return diff


def _buyer_role_payload(tender: Tender) -> dict:
    return {"organisation": tender.buyer, "role": Role.PROCUREMENT_OFFICER}


# --- preparing a draft ------------------------------------------------------------------


def tender_create(
    *,
    actor,
    buyer,
    reference: str,
    title: str,
    procurement_method: str,
    main_category: str,
    cpv_code: str,
    estimated_value,
    opening_committee=(),
    evaluation_committee=(),
    **fields,
) -> Tender:
    """Start a draft tender for `buyer`, prepared by `actor` (one of its officers).

    A draft may be incomplete (dates, committees, approver and lots come
    step by step), but what it holds is valid; what is still missing is
    listed when it is submitted for approval.
    """
    fields.update(
        reference=reference,
        title=title,
        procurement_method=procurement_method,
        main_category=main_category,
        cpv_code=cpv_code,
        estimated_value=estimated_value,
    )
    opening_committee, evaluation_committee = list(opening_committee), list(evaluation_committee)
    with transaction.atomic():
        _require(
            buyer.kind == OrganisationKind.PROCURING_ENTITY
            and permissions.can_prepare(actor, buyer)
        )
        now = db_now()
        tender = Tender(buyer=buyer, created_by=actor)
        diff = _apply_draft_fields(
            tender, fields, opening=opening_committee, evaluation=evaluation_committee, now=now
        )
        tender.ocid = validation.ocid_for(tender.reference)
        try:
            with transaction.atomic():
                tender.save()
        except IntegrityError as exc:
            raise ReferenceTaken(field="reference", params={"reference": reference}) from exc
        _set_committee(tender, CommitteeKind.OPENING, opening_committee)
        _set_committee(tender, CommitteeKind.EVALUATION, evaluation_committee)
        record(
            action="tender.created",
            actor=actor,
            obj=tender,
            payload={
                "ocid": tender.ocid,
                "fields": {name: change["to"] for name, change in diff.items()},
            },
            **_buyer_role_payload(tender),
        )
    return tender


def tender_update(
    *, actor, tender: Tender, opening_committee=None, evaluation_committee=None, **fields
) -> Tender:
    """Change a draft. Only the changed fields are saved and audited (as a diff)."""
    with transaction.atomic():
        tender = _lock(tender)
        _require(permissions.can_prepare(actor, tender))
        _require_draft(tender)
        opening = None if opening_committee is None else list(opening_committee)
        evaluation = None if evaluation_committee is None else list(evaluation_committee)
        diff = _apply_draft_fields(
            tender, fields, opening=opening, evaluation=evaluation, now=db_now()
        )
        if not diff:
            return tender
        columns = set(diff) - {"opening_committee", "evaluation_committee"}
        if "reference" in diff:
            columns.add("ocid")
        try:
            with transaction.atomic():
                tender.save(update_fields=[*sorted(columns), "updated_at"])
        except IntegrityError as exc:
            raise ReferenceTaken(field="reference", params={"reference": tender.reference}) from exc
        if "opening_committee" in diff:
            _set_committee(tender, CommitteeKind.OPENING, opening)
        if "evaluation_committee" in diff:
            _set_committee(tender, CommitteeKind.EVALUATION, evaluation)
        record(
            action="tender.updated",
            actor=actor,
            obj=tender,
            payload={"changed": diff},
            **_buyer_role_payload(tender),
        )
    return tender


def _clean_item(values: dict) -> dict:
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Unknown item fields: {sorted(unknown)}")
    missing = {"description", "quantity", "unit"} - set(values)
    if missing:
        raise InvalidTenderField(_("This field is required."), field=sorted(missing)[0])
    return {name: ITEM_FIELDS[name](value) for name, value in values.items()}


def _lock_draft_for(actor, tender_id) -> Tender:
    tender = Tender.objects.select_for_update().get(pk=tender_id)
    _require(permissions.can_prepare(actor, tender))
    _require_draft(tender)
    return tender


def lot_add(
    *,
    actor,
    tender: Tender,
    title: str,
    estimated_value,
    bid_security_amount=0,
    title_fa: str = "",
    description: str = "",
    items=(),
) -> Lot:
    """Add a lot (numbered after the last one) with its items to a draft."""
    values = {
        name: LOT_FIELDS[name](value)
        for name, value in {
            "title": title,
            "title_fa": title_fa,
            "description": description,
            "estimated_value": estimated_value,
            "bid_security_amount": bid_security_amount,
        }.items()
    }
    cleaned_items = [_clean_item(dict(item)) for item in items]
    with transaction.atomic():
        tender = _lock_draft_for(actor, tender.pk)
        number = (tender.lots.aggregate(last=Max("number"))["last"] or 0) + 1
        lot = Lot.objects.create(tender=tender, number=number, **values)
        Item.objects.bulk_create(Item(lot=lot, **item) for item in cleaned_items)
        record(
            action="tender.lot_added",
            actor=actor,
            obj=tender,
            payload={
                "lot_id": lot.pk,
                "number": number,
                **jsonable(values),
                "items": jsonable(cleaned_items),
            },
            **_buyer_role_payload(tender),
        )
    return lot


def lot_update(*, actor, lot: Lot, **fields) -> Lot:
    unknown = set(fields) - set(LOT_FIELDS)
    if unknown:
        raise ValueError(f"Unknown lot fields: {sorted(unknown)}")
    cleaned = {name: LOT_FIELDS[name](value) for name, value in fields.items()}
    with transaction.atomic():
        tender = _lock_draft_for(actor, lot.tender_id)
        lot = Lot.objects.select_for_update().get(pk=lot.pk)
        diff = {
            name: {"from": jsonable(getattr(lot, name)), "to": jsonable(value)}
            for name, value in cleaned.items()
            if getattr(lot, name) != value
        }
        if not diff:
            return lot
        for name in diff:
            setattr(lot, name, cleaned[name])
        lot.save(update_fields=[*sorted(diff), "updated_at"])
        record(
            action="tender.lot_updated",
            actor=actor,
            obj=tender,
            payload={"lot_id": lot.pk, "number": lot.number, "changed": diff},
            **_buyer_role_payload(tender),
        )
    return lot


def lot_remove(*, actor, lot: Lot) -> None:
    """Remove a lot and its items; the lots after it move up one number."""
    with transaction.atomic():
        tender = _lock_draft_for(actor, lot.tender_id)
        lot = Lot.objects.select_for_update().get(pk=lot.pk)
        removed = {"lot_id": lot.pk, "number": lot.number, "title": lot.title}
        lot.delete()
        # Ascending, one by one: each number is free before the next lot takes it.
        for later in tender.lots.filter(number__gt=removed["number"]).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number", "updated_at"])
        record(
            action="tender.lot_removed",
            actor=actor,
            obj=tender,
            payload=removed,
            **_buyer_role_payload(tender),
        )


def item_add(*, actor, lot: Lot, **fields) -> Item:
    cleaned = _clean_item(fields)
    with transaction.atomic():
        tender = _lock_draft_for(actor, lot.tender_id)
        item = Item.objects.create(lot=lot, **cleaned)
        record(
            action="tender.item_added",
            actor=actor,
            obj=tender,
            payload={"lot": lot.number, "item_id": item.pk, **jsonable(cleaned)},
            **_buyer_role_payload(tender),
        )
    return item


def item_update(*, actor, item: Item, **fields) -> Item:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise ValueError(f"Unknown item fields: {sorted(unknown)}")
    cleaned = {name: ITEM_FIELDS[name](value) for name, value in fields.items()}
    with transaction.atomic():
        tender = _lock_draft_for(actor, item.lot.tender_id)
        item = Item.objects.select_for_update().select_related("lot").get(pk=item.pk)
        diff = {
            name: {"from": jsonable(getattr(item, name)), "to": jsonable(value)}
            for name, value in cleaned.items()
            if getattr(item, name) != value
        }
        if not diff:
            return item
        for name in diff:
            setattr(item, name, cleaned[name])
        item.save(update_fields=sorted(diff))
        record(
            action="tender.item_updated",
            actor=actor,
            obj=tender,
            payload={"lot": item.lot.number, "item_id": item.pk, "changed": diff},
            **_buyer_role_payload(tender),
        )
    return item


def item_remove(*, actor, item: Item) -> None:
    with transaction.atomic():
        tender = _lock_draft_for(actor, item.lot.tender_id)
        item = Item.objects.select_for_update().select_related("lot").get(pk=item.pk)
        payload = {"lot": item.lot.number, "item_id": item.pk, "description": item.description}
        item.delete()
        record(
            action="tender.item_removed",
            actor=actor,
            obj=tender,
            payload=payload,
            **_buyer_role_payload(tender),
        )


# --- four-eyes approval ----------------------------------------------------------------------


def _raise_problems(problems) -> None:
    if problems:
        raise TenderIncomplete(
            " ".join(str(problem) for problem in problems),
            params={
                "problems": [
                    {"field": problem.field, "code": problem.code, "message": str(problem)}
                    for problem in problems
                ]
            },
        )


def tender_submit_for_approval(*, actor, tender: Tender) -> Tender:
    """The officer sends a complete draft to its approver."""
    with transaction.atomic():
        tender = _lock(tender)
        _require(permissions.can_prepare(actor, tender))
        _ensure_can(tender, tender.submit_for_approval)
        now = db_now()
        _raise_problems(
            validation.readiness_problems(
                tender, now=now, officer_ids={tender.created_by_id, actor.pk}
            )
        )
        _transition(
            tender,
            tender.submit_for_approval,
            actor=actor,
            action="tender.submitted_for_approval",
            update_fields=["submitted_by", "submitted_at"],
            payload={"approver_id": tender.approver_id},
            by=actor,
            at=now,
        )
        notify_tender(tender, event="submitted_for_approval", recipients=[tender.approver_id])
    return tender


def tender_return_to_draft(*, actor, tender: Tender, reasons: str) -> Tender:
    """The approver sends the tender back to its officer, saying why."""
    reasons = _reason(reasons, field="reasons")
    with transaction.atomic():
        tender = _lock(tender)
        _require(permissions.can_approve(actor, tender))
        _transition(
            tender,
            tender.return_to_draft,
            actor=actor,
            action="tender.returned_to_draft",
            reason=reasons,
            update_fields=["return_reasons"],
            reasons=reasons,
        )
        notify_tender(
            tender,
            event="returned_to_draft",
            recipients=[tender.created_by_id, tender.submitted_by_id],
            exclude=actor,
        )
    return tender


def tender_approve_and_publish(*, actor, tender: Tender) -> Tender:
    """The approver, who is not the officer, approves: the tender is public from now.

    Everything is checked again with the database clock (a deadline may have
    come too close while the tender waited). `published_at` is the database
    time. Then the publish hooks run in this transaction (see
    `tenders.publication`: the bidding work generates the tender's keys
    there); if one fails, nothing is published.
    """
    with transaction.atomic():
        tender = _lock(tender)
        if actor is not None and actor.pk in {tender.created_by_id, tender.submitted_by_id}:
            raise FourEyesViolation()
        _require(permissions.can_approve(actor, tender))
        _ensure_can(tender, tender.approve_and_publish)
        now = db_now()
        _raise_problems(
            validation.readiness_problems(
                tender, now=now, officer_ids={tender.created_by_id, tender.submitted_by_id}
            )
        )
        _transition(
            tender,
            tender.approve_and_publish,
            actor=actor,
            action="tender.published",
            update_fields=["approved_by", "published_at", "return_reasons"],
            payload={
                "ocid": tender.ocid,
                "published_at": jsonable(now),
                "submission_deadline": jsonable(tender.submission_deadline),
            },
            by=actor,
            at=now,
        )
        run_publish_hooks(tender=tender, actor=actor)
        ocds.release_record(tender=tender, tag=ocds.TAG_TENDER)
        notify_tender(
            tender,
            event="published",
            recipients=[tender.created_by_id, tender.submitted_by_id],
            exclude=actor,
        )
        _notify_invited(tender)
    return tender


# --- ending a tender ----------------------------------------------------------------------------


def tender_cancel(*, actor, tender: Tender, reason: str) -> Tender:
    """Cancel a tender before award, with a reason that is published on the notice."""
    reason = _reason(reason)
    with transaction.atomic():
        tender = _lock(tender)
        _require(permissions.can_cancel(actor, tender))
        was_public = tender.is_public
        _transition(
            tender,
            tender.cancel,
            actor=actor,
            action="tender.cancelled",
            reason=reason,
            update_fields=["cancellation_reason", "cancelled_at"],
            grounds=reason,
            at=db_now(),
        )
        ocds.release_record(tender=tender, tag=ocds.TAG_CANCELLATION)
        audience = followers(tender) if was_public else []
        notify_tender(
            tender,
            event="cancelled",
            recipients=[tender.created_by_id, tender.approver_id, *audience],
            exclude=actor,
        )
    return tender


def tender_declare_unsuccessful(*, actor, tender: Tender, reason: str) -> Tender:
    """A closed tender ends without result (nothing valid came). `actor` None: the platform."""
    reason = _reason(reason)
    with transaction.atomic():
        tender = _lock(tender)
        if actor is not None:
            _require(permissions.can_cancel(actor, tender))
        _transition(
            tender,
            tender.declare_unsuccessful,
            actor=actor,
            action="tender.unsuccessful",
            reason=reason,
            update_fields=["unsuccessful_reason"],
            grounds=reason,
        )
        ocds.release_record(tender=tender, tag=ocds.TAG_UPDATE)
        notify_tender(
            tender,
            event="unsuccessful",
            recipients=[tender.created_by_id, tender.approver_id, *followers(tender)],
            exclude=actor,
        )
    return tender


def _close_locked(tender: Tender, now: datetime.datetime) -> None:
    _transition(
        tender,
        tender.close,
        actor=None,
        action="tender.closed",
        update_fields=["closed_at"],
        payload={
            "submission_deadline": jsonable(tender.submission_deadline),
            "closed_at": jsonable(now),
        },
        at=now,
    )
    ocds.release_record(tender=tender, tag=ocds.TAG_UPDATE)
    notify_tender(tender, event="closed", recipients=[tender.created_by_id, *followers(tender)])


def tender_close(*, tender: Tender, actor=None) -> Tender:
    """Close a published tender whose submission deadline has passed (database time).

    Only the platform closes (`actor` None): closing is bookkeeping, the bid
    gate is the database time in the bidding transaction. Idempotent: an
    already closed tender is returned unchanged, with no new event.
    """
    if actor is not None:
        raise TenderNotAllowed(_("A tender closes by itself at its submission deadline."))
    with transaction.atomic():
        tender = _lock(tender)
        if tender.state == TenderState.CLOSED:
            return tender
        _ensure_can(tender, tender.close)
        now = db_now()
        if now < tender.submission_deadline:
            raise DeadlineNotReached(
                field="submission_deadline",
                params={"submission_deadline": jsonable(tender.submission_deadline)},
            )
        _close_locked(tender, now)
    return tender


def tender_close_due() -> int:
    """The beat sweep: close every published tender whose deadline has passed.

    Each tender closes in its own transaction, its row taken with
    `SELECT … FOR UPDATE SKIP LOCKED` and its state and deadline checked again
    under the lock: two sweeps running at once (or a sweep and an amendment)
    never close a tender twice, and a second run finds nothing to do. Returns
    how many tenders this run closed.
    """
    now = db_now()
    due = list(
        Tender.objects.filter(state=TenderState.PUBLISHED, submission_deadline__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            queryset = Tender.objects.filter(
                pk=pk, state=TenderState.PUBLISHED, submission_deadline__lte=now
            )
            if connection.features.has_select_for_update_skip_locked:
                queryset = queryset.select_for_update(skip_locked=True)
            else:
                queryset = queryset.select_for_update()
            tender = queryset.first()
            if tender is None:
                # Closed by another sweep, being changed right now, or extended.
                continue
            _close_locked(tender, db_now())
            closed += 1
    return closed


# --- clarifications ----------------------------------------------------------------------------


def clarification_ask(*, actor, tender: Tender, supplier, question: str) -> Clarification:
    """A verified supplier's representative asks a question, before the clarification deadline.

    Who asked stays private: the public and other suppliers see the question
    and its answer only (tenders.selectors).
    """
    question = validation.clean_text(question, field="question", required=True, max_length=5000)
    with transaction.atomic():
        tender = _lock(tender)
        _require(permissions.can_ask(actor, supplier))
        _check_may_take_part(tender, supplier)
        if tender.state != TenderState.PUBLISHED:
            raise ClarificationPeriodOver(params={"state": tender.state})
        now = db_now()
        if now >= tender.clarification_deadline:
            raise ClarificationPeriodOver(
                params={"clarification_deadline": jsonable(tender.clarification_deadline)}
            )
        number = (tender.clarifications.aggregate(last=Max("number"))["last"] or 0) + 1
        clarification = Clarification.objects.create(
            tender=tender,
            number=number,
            asked_by_organisation_id=supplier.organisation_id,
            asked_by=actor,
            question=question,
            asked_at=now,
        )
        record(
            action="tender.clarification_asked",
            actor=actor,
            obj=tender,
            organisation=supplier.organisation,
            payload={"clarification_id": clarification.pk, "number": number},
        )
        notify_tender(tender, event="question_asked", recipients=[tender.created_by_id])
    return clarification


def clarification_answer(*, actor, clarification: Clarification, answer: str) -> Clarification:
    """An officer answers: the question and answer are published to all, followers told."""
    answer = validation.clean_text(answer, field="answer", required=True, max_length=10000)
    with transaction.atomic():
        tender = Tender.objects.select_for_update().get(pk=clarification.tender_id)
        clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
        _require(permissions.can_prepare(actor, tender))
        if clarification.answered_at is not None:
            raise AlreadyAnswered()
        if tender.state != TenderState.PUBLISHED:
            raise TenderInvalidTransition(
                _("Questions are answered while the tender is open."),
                params={"state": tender.state},
            )
        clarification.answer = answer
        clarification.answered_by = actor
        clarification.answered_at = db_now()
        clarification.published = True
        clarification.save(update_fields=["answer", "answered_by", "answered_at", "published"])
        ocds.release_record(tender=tender, tag=ocds.TAG_UPDATE)
        record(
            action="tender.clarification_answered",
            actor=actor,
            obj=tender,
            payload={"clarification_id": clarification.pk, "number": clarification.number},
            **_buyer_role_payload(tender),
        )
        notify_tender(
            tender,
            event="question_answered",
            recipients=[*followers(tender), clarification.asked_by_id],
            exclude=actor,
        )
    return clarification


# --- amendments and outages --------------------------------------------------------------------


def _next_amendment_number(tender: Tender) -> int:
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
    from .exceptions import UnknownTenderDocument
    from .models import TenderDocument

    titles = [title for title, _uploaded, _upload in checked] + withdraw
    versions = list(
        TenderDocument.objects.select_for_update()
        .filter(tender=tender, title__in=titles)
        .order_by("title", "version")
    )
    last = {document.title: document for document in versions}
    current = {document.title: document for document in versions if document.is_current}
    entries = []
    for title, _uploaded, upload in checked:
        previous = last.get(title)
        entries.append(
            {
                "change": "new_version" if title in current else "added",
                "title": title,
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
                "version": document.version,
                "original_name": document.original_name,
                "size": document.size,
                "sha256": document.sha256,
            }
        )
    return entries, to_withdraw


def _apply_document_changes(
    tender: Tender, *, actor, amendment: Amendment, checked: list, to_withdraw: dict, stored: list
) -> list[dict]:
    """Store the new versions and mark the withdrawn ones; return the audit entries.

    Each stored file is appended to `stored` at once, so that the caller can
    remove it from the storage if the transaction does not commit.
    """
    from .models import TenderDocument

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
        TenderDocument.objects.filter(tender=tender, title=title, is_current=True).update(
            is_current=False
        )
        document = TenderDocument(
            tender=tender,
            title=title,
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
        document.file.save(upload.sha256, uploaded, save=False)
        stored.append((document.file.storage, document.file.name))
        document.save()
        ids[title] = document.pk
    return [
        {"document_id": ids[entry["title"]], **entry} for entry in amendment.changes["documents"]
    ]


def check_document(uploaded) -> CheckedUpload:
    """Check a tender document's upload (type by content, size, name) and hash it."""
    return check_upload(
        uploaded,
        max_bytes=settings.TENDER_DOCUMENT_MAX_BYTES,
        types=settings.TENDER_DOCUMENT_TYPES,
        error=TenderDocumentRejected,
    )


def _remove_stored(stored: list) -> None:
    """Remove files stored by a transaction that did not commit (nothing may be left)."""
    for storage, name in stored:
        storage.delete(name)


def tender_amend(
    *,
    actor,
    tender: Tender,
    summary: str,
    changes: dict | None = None,
    material: bool = False,
    notice: str = "",
    documents=(),
    withdraw=(),
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

    A refusal leaves nothing: no row, no stored file, no event, no outbox row.
    """
    summary = validation.clean_text(summary, field="summary", required=True, max_length=500)
    notice = validation.clean_text(notice, field="notice")
    changes = changes or {}
    for name in changes:
        if name not in AMENDABLE_FIELDS:
            raise NotAmendable(field=name, params={"field": name})
    cleaned = {name: DRAFT_FIELDS[name](value) for name, value in changes.items()}
    checked, withdraw = _clean_amendment_documents(list(documents), list(withdraw))
    material = bool(material) or bool(checked or withdraw)
    stored: list = []
    try:
        with transaction.atomic():
            amendment = _amend(
                actor=actor,
                tender=tender,
                summary=summary,
                notice=notice,
                material=material,
                cleaned=cleaned,
                checked=checked,
                withdraw=withdraw,
                stored=stored,
            )
    except BaseException:
        _remove_stored(stored)
        raise
    return amendment


def _amend(
    *, actor, tender, summary, notice, material, cleaned, checked, withdraw, stored
) -> Amendment:
    tender = _lock(tender)
    _require(permissions.can_prepare(actor, tender))
    if tender.state != TenderState.PUBLISHED:
        raise TenderInvalidTransition(
            _("Only a published tender, open for bids, can be amended."),
            params={"state": tender.state},
        )
    now = db_now()
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
    document_entries, to_withdraw = _document_changes(tender, checked, withdraw)
    if material:
        minimum = datetime.timedelta(days=settings.TENDER_MATERIAL_AMENDMENT_MIN_DAYS)
        if tender.submission_deadline - now < minimum:
            earliest = now + minimum
            raise MaterialAmendmentTooLate(
                _(
                    "A material amendment must leave at least %(days)s days before the "
                    "submission deadline: extend the deadline in this amendment to "
                    "%(earliest)s (UTC) or later."
                )
                % {
                    "days": minimum.days,
                    "earliest": earliest.strftime("%Y-%m-%d %H:%M"),
                },
                field="submission_deadline",
                params={"min_days": minimum.days, "earliest": earliest.isoformat()},
            )
    field_names = sorted(diff)
    if field_names:
        tender.save(update_fields=[*field_names, "updated_at"])
    if document_entries:
        diff["documents"] = document_entries
    amendment = Amendment.objects.create(
        tender=tender,
        number=_next_amendment_number(tender),
        created_at=now,
        created_by=actor,
        summary=summary,
        material=material,
        changes=diff,
        notice=notice,
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
            stored=stored,
        )
    ocds.release_record(tender=tender, tag=ocds.TAG_AMENDMENT, amendment=amendment)
    record(
        action="tender.amended",
        actor=actor,
        obj=tender,
        payload=payload,
        reason=summary,
        **_buyer_role_payload(tender),
    )
    notify_tender(
        tender,
        event="amended",
        recipients=followers(tender),
        exclude=actor,
        number=amendment.number,
        summary=summary,
    )
    return amendment


def outage_extension(
    *, deadline: datetime.datetime, outage: Outage, now: datetime.datetime
) -> datetime.datetime:
    """The new submission deadline of a tender affected by `outage` (see `outage_record`)."""
    margin = datetime.timedelta(hours=settings.TENDER_OUTAGE_MARGIN_HOURS)
    return max(deadline + (outage.ends_at - outage.starts_at) + margin, now + margin)


# Any constant: the key of the transaction-level advisory lock that outage records take.
OUTAGE_LOCK_KEY = 7_411_203


def _serialise_outage_records() -> None:
    """One outage record at a time, so the overlap check sees every earlier window.

    Row locks cannot guard rows that do not exist yet; PostgreSQL's advisory
    lock, released at commit, does. SQLite serialises writers by itself.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [OUTAGE_LOCK_KEY])


def outage_record(*, actor, starts_at, ends_at, reason: str) -> Outage:
    """Record a window in which the platform was unavailable, and apply the outage rule.

    The rule. Let the window be [S, E], its length L = E - S, and the margin
    M = TENDER_OUTAGE_MARGIN_HOURS. Every tender still open or just closed
    (published, or closed with its opening not begun) whose submission deadline
    D lies in [S, E + M] gets its deadline moved to

        D' = max(D + L + M, R + M)

    where R is the time the outage is recorded (the database time), so the
    new deadline always leaves bidders at least M after the record is public.
    The opening time moves by the same amount (D' - D), keeping its interval
    after the deadline; the clarification deadline does not move. A tender
    that the sweep had closed meanwhile is reopened (`tender.reopened`).
    Each extension is a numbered amendment by the platform, with its diff and
    notice, on the audit trail and notified to the officer and the followers.
    Windows may not overlap an outage already recorded (no double extension).
    """
    reason = _reason(reason)
    starts_at = validation.clean_datetime(starts_at, field="starts_at")
    ends_at = validation.clean_datetime(ends_at, field="ends_at")
    if starts_at is None:
        raise InvalidOutage(_("Give the start of the outage."), field="starts_at")
    if ends_at is None:
        raise InvalidOutage(_("Give the end of the outage."), field="ends_at")
    if ends_at <= starts_at:
        raise InvalidOutage(_("The outage must end after it starts."), field="ends_at")
    with transaction.atomic():
        _require(permissions.can_record_outage(actor))
        now = db_now()
        if ends_at > now:
            raise InvalidOutage(
                _("An outage is recorded once it is over: its end cannot be in the future."),
                field="ends_at",
            )
        _serialise_outage_records()
        if Outage.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
            raise OutageOverlaps(field="starts_at")
        outage = Outage.objects.create(
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            recorded_by=actor,
            recorded_at=now,
        )
        margin = datetime.timedelta(hours=settings.TENDER_OUTAGE_MARGIN_HOURS)
        affected = list(
            Tender.objects.select_for_update()
            .filter(
                state__in=[TenderState.PUBLISHED, TenderState.CLOSED],
                submission_deadline__gte=starts_at,
                submission_deadline__lte=ends_at + margin,
            )
            .order_by("pk")
        )
        record(
            action="outage.recorded",
            actor=actor,
            obj=outage,
            reason=reason,
            role=Role.PLATFORM_ADMIN,
            payload={
                "starts_at": jsonable(starts_at),
                "ends_at": jsonable(ends_at),
                "margin_hours": settings.TENDER_OUTAGE_MARGIN_HOURS,
                "tender_ids": [tender.pk for tender in affected],
            },
        )
        for tender in affected:
            _extend_after_outage(tender, outage=outage, actor=actor, now=now)
    return outage


# An outage amendment's texts are stored once, in the platform's default language.
OUTAGE_SUMMARY = gettext_lazy("Submission deadline extended after a platform outage")
OUTAGE_NOTICE = gettext_lazy(
    "The platform was unavailable from %(start)s to %(end)s (UTC). The submission deadline "
    "moves from %(old)s to %(new)s (UTC) under the outage rule."
)


def _platform_text(message, **params) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % params if params else str(message)


def _extend_after_outage(tender: Tender, *, outage: Outage, actor, now) -> Amendment:
    old_deadline, old_opening = tender.submission_deadline, tender.opening_at
    new_deadline = outage_extension(deadline=old_deadline, outage=outage, now=now)
    shift = new_deadline - old_deadline
    if tender.state == TenderState.CLOSED:
        _transition(
            tender,
            tender.reopen_after_outage,
            actor=actor,
            action="tender.reopened",
            reason=outage.reason,
            update_fields=["closed_at"],
            payload={"outage_id": outage.pk},
        )
    tender.submission_deadline = new_deadline
    diff = {"submission_deadline": {"from": jsonable(old_deadline), "to": jsonable(new_deadline)}}
    if old_opening is not None:
        tender.opening_at = old_opening + shift
        diff["opening_at"] = {"from": jsonable(old_opening), "to": jsonable(tender.opening_at)}
    tender.save(update_fields=[*diff, "updated_at"])
    summary = _platform_text(OUTAGE_SUMMARY)
    notice = _platform_text(
        OUTAGE_NOTICE,
        start=outage.starts_at.strftime("%Y-%m-%d %H:%M"),
        end=outage.ends_at.strftime("%Y-%m-%d %H:%M"),
        old=old_deadline.strftime("%Y-%m-%d %H:%M"),
        new=new_deadline.strftime("%Y-%m-%d %H:%M"),
    )
    amendment = Amendment.objects.create(
        tender=tender,
        number=_next_amendment_number(tender),
        created_at=now,
        created_by=None,
        summary=summary,
        material=False,
        changes=diff,
        notice=notice,
        outage=outage,
    )
    ocds.release_record(tender=tender, tag=ocds.TAG_AMENDMENT, amendment=amendment)
    record(
        action="tender.amended",
        actor=actor,
        obj=tender,
        reason=summary,
        role=Role.PLATFORM_ADMIN,
        payload={
            "amendment_id": amendment.pk,
            "number": amendment.number,
            "material": False,
            "outage_id": outage.pk,
            "changes": diff,
        },
    )
    notify_tender(
        tender,
        event="extended_after_outage",
        recipients=[tender.created_by_id, *followers(tender)],
        number=amendment.number,
    )
    return amendment


# --- following -----------------------------------------------------------------------------------


def tender_follow(*, actor, tender: Tender) -> Follow:
    """Hear about every change to a public tender. Following twice is following once.

    Not audited: a reader's own subscription decides nothing and touches no
    procurement record (as notification read marks).
    """
    _require(permissions.can_follow(actor))
    with transaction.atomic():
        tender = Tender.objects.get(pk=tender.pk)
        if not tender.is_public:
            raise TenderNotPublic()
        follow, _created = Follow.objects.get_or_create(user=actor, tender=tender)
    return follow


def tender_unfollow(*, actor, tender: Tender) -> None:
    """Stop hearing about a tender (nothing happens if the actor did not follow it)."""
    _require(permissions.can_follow(actor))
    with transaction.atomic():
        Follow.objects.filter(user=actor, tender=tender).delete()


# --- deadline reminders --------------------------------------------------------------------------

REMINDERS = (
    # kind, window before the deadline (start, end], title, body
    (
        "24h",
        (datetime.timedelta(hours=1), datetime.timedelta(hours=24)),
        gettext_lazy("Tender %(reference)s closes in 24 hours"),
        gettext_lazy("The submission deadline of “%(title)s” is less than 24 hours away."),
    ),
    (
        "1h",
        (datetime.timedelta(0), datetime.timedelta(hours=1)),
        gettext_lazy("Tender %(reference)s closes within the hour"),
        gettext_lazy("The submission deadline of “%(title)s” is less than an hour away."),
    ),
)


def tender_send_deadline_reminders() -> int:
    """Remind followers 24 hours and 1 hour before each submission deadline (beat task).

    Idempotent: each (tender, user, kind) gets one `TenderReminder` row, written
    in the transaction that writes its notification, so a second run (or a
    concurrent one, serialised by the tender's lock) sends nothing again. A
    tender followed less than an hour before its deadline gets the 1-hour
    reminder only. Not audited: a reminder decides nothing. Returns how many
    reminders were sent.
    """
    from notifications.services import notify

    from .models import TenderReminder
    from .notifications import tender_url
    from .selectors import tenders_due_for_reminder

    sent = 0
    now = db_now()
    for kind, (start, end), title, body in REMINDERS:
        for tender_id in tenders_due_for_reminder(now=now, start=start, end=end).values_list(
            "pk", flat=True
        ):
            with transaction.atomic():
                tender = Tender.objects.select_for_update().get(pk=tender_id)
                if tender.state != TenderState.PUBLISHED:
                    continue
                reminded = set(
                    TenderReminder.objects.filter(tender=tender, kind=kind).values_list(
                        "user_id", flat=True
                    )
                )
                recipients = [uid for uid in followers(tender) if uid not in reminded]
                if not recipients:
                    continue
                TenderReminder.objects.bulk_create(
                    TenderReminder(
                        tender=tender,
                        user_id=uid,
                        kind=kind,
                        deadline=tender.submission_deadline,
                        sent_at=now,
                    )
                    for uid in recipients
                )
                notify(
                    recipients=recipients,
                    kind=f"tender.reminder_{kind}",
                    title=title,
                    body=body,
                    url=tender_url(tender),
                    context={"reference": tender.reference, "title": tender.title},
                )
                sent += len(recipients)
    return sent


# --- tender documents ---------------------------------------------------------------------------


def tender_document_upload(*, actor, tender: Tender, title: str, uploaded):
    """Add a document to a draft, or a new version of the one with the same title.

    The content is checked (type by its magic number, size, name) and hashed
    before anything is stored. Drafts only: after publication a document
    changes only through an amendment (`tender_amend(documents=..., withdraw=...)`).
    """
    from .models import TenderDocument

    title = validation.clean_text(title, field="title", required=True, max_length=300)
    checked = check_document(uploaded)
    with transaction.atomic():
        tender = _lock_draft_for(actor, tender.pk)
        previous = (
            TenderDocument.objects.select_for_update()
            .filter(tender=tender, title=title)
            .order_by("-version")
            .first()
        )
        TenderDocument.objects.filter(tender=tender, title=title, is_current=True).update(
            is_current=False
        )
        document = TenderDocument(
            tender=tender,
            title=title,
            version=(previous.version + 1) if previous else 1,
            is_current=True,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            created_at=db_now(),
        )
        uploaded.seek(0)
        document.file.save(checked.sha256, uploaded, save=False)
        document.save()
        record(
            action="tender.document_uploaded",
            actor=actor,
            obj=tender,
            payload={
                "document_id": document.pk,
                "title": title,
                "version": document.version,
                "original_name": checked.name,
                "size": checked.size,
                "sha256": checked.sha256,
            },
            **_buyer_role_payload(tender),
        )
    return document


# --- restricted tenders: invitations ------------------------------------------------------------


def _lock_invitable(actor, tender: Tender) -> Tender:
    """The tender, locked, if `actor` may change its invitations now (else a domain error)."""
    tender = _lock(tender)
    _require(permissions.can_prepare(actor, tender))
    if tender.procurement_method != ProcurementMethod.RESTRICTED:
        raise TenderNotRestricted(params={"procurement_method": tender.procurement_method})
    # The list is part of what the approver approves: it changes only with the draft.
    _require_draft(tender)
    return tender


def _invitation_payload(supplier) -> dict:
    return {
        "supplier_id": supplier.pk,
        "supplier": supplier.legal_name,
        "registration_number": supplier.registration_number,
    }


def tender_invite(*, actor, tender: Tender, supplier) -> Invitation:
    """Invite a supplier that may bid now to a restricted draft (its officer only)."""
    from suppliers.models import Supplier
    from suppliers.selectors import supplier_eligibility

    with transaction.atomic():
        tender = _lock_invitable(actor, tender)
        supplier = Supplier.objects.get(pk=supplier.pk)
        now = db_now()
        eligibility = supplier_eligibility(supplier, today=now.date())
        if not eligibility.eligible:
            raise SupplierNotEligible(
                _("%(supplier)s cannot be invited: %(reasons)s")
                % {
                    "supplier": supplier.legal_name,
                    "reasons": " ".join(reason.message for reason in eligibility.reasons),
                },
                field="supplier",
                params={
                    "supplier_id": supplier.pk,
                    "reasons": [
                        {"code": reason.code, "message": reason.message}
                        for reason in eligibility.reasons
                    ],
                },
            )
        if Invitation.objects.filter(tender=tender, supplier=supplier).exists():
            raise AlreadyInvited(field="supplier", params={"supplier_id": supplier.pk})
        invitation = Invitation.objects.create(
            tender=tender, supplier=supplier, invited_by=actor, invited_at=now
        )
        record(
            action="tender.invitation_added",
            actor=actor,
            obj=tender,
            payload={"invitation_id": invitation.pk, **_invitation_payload(supplier)},
            **_buyer_role_payload(tender),
        )
    return invitation


def tender_uninvite(*, actor, tender: Tender, supplier) -> None:
    """Withdraw a supplier's invitation to a restricted draft (its officer only)."""
    with transaction.atomic():
        tender = _lock_invitable(actor, tender)
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("supplier")
            .filter(tender=tender, supplier_id=supplier.pk)
            .first()
        )
        if invitation is None:
            raise InvitationNotFound(field="supplier", params={"supplier_id": supplier.pk})
        payload = {"invitation_id": invitation.pk, **_invitation_payload(invitation.supplier)}
        invitation.delete()
        record(
            action="tender.invitation_removed",
            actor=actor,
            obj=tender,
            payload=payload,
            **_buyer_role_payload(tender),
        )


def _notify_invited(tender: Tender) -> None:
    """Tell the people of every invited supplier that the tender is published (after commit)."""
    from .selectors import invited_supplier_people

    people = invited_supplier_people(tender=tender)
    if people:
        notify_tender(tender, event="invited", recipients=people)


def _check_may_take_part(tender: Tender, supplier) -> None:
    """On a restricted tender, only an invited supplier takes part (asks, and later bids)."""
    from .selectors import supplier_may_take_part

    if not supplier_may_take_part(tender=tender, supplier=supplier):
        raise NotInvited(
            _("This tender is restricted to invited suppliers, and %(supplier)s is not invited.")
            % {"supplier": supplier.legal_name},
            field="supplier",
            params={"supplier_id": supplier.pk},
        )
