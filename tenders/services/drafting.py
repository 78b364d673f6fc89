"""Preparing a draft: the tender's fields, committees, lots and items.

A draft may be incomplete (dates, committees, approver and lots come step by
step), but what it holds is valid; what is still missing is listed when it is
submitted for approval (`approval.tender_submit_for_approval`).
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import OrganisationKind
from accounts.permissions import Perm, has_perm
from audit.services import record
from core.clock import db_now
from core.exceptions import DomainError
from core.money import Money, money_columns

from .. import validation
from ..exceptions import InvalidDraft, InvalidTenderField, ReferenceTaken
from ..lock_objects import item_for_update, lot_for_update, tender_for_update
from ..models import CommitteeKind, CommitteeMembership, Item, Lot, Tender
from .fields import DATE_FIELDS, DRAFT_FIELDS, EVALUATION_FIELDS, ITEM_FIELDS, LOT_FIELDS, jsonable
from .steps import buyer_role_payload, locked_draft, require, require_draft

# The audit actions of naming and removing committee members (constants, so the action
# registry finds them).
COMMITTEE_MEMBER_ADDED_ACTION = "tender.committee_member_added"
COMMITTEE_MEMBER_REMOVED_ACTION = "tender.committee_member_removed"


def tender_create(
    *,
    actor,
    buyer,
    reference: str,
    title: str,
    procurement_method: str,
    main_category: str,
    cpv_code: str,
    estimated_value: Money,
    opening_committee=(),
    evaluation_committee=(),
    **fields,
) -> Tender:
    """Start a draft tender for `buyer`, prepared by `actor` (one of its officers).

    A draft may be incomplete (dates, committees, approver and lots come
    step by step), but what it holds is valid; what is still missing is
    listed when it is submitted for approval. Amounts are `core.money.Money`;
    without a document fee, there is none (zero in the estimate's currency).
    """
    if "document_fee" not in fields and isinstance(estimated_value, Money):
        fields["document_fee"] = Money(0, estimated_value.currency)
    fields.update(
        reference=reference,
        title=title,
        procurement_method=procurement_method,
        main_category=main_category,
        cpv_code=cpv_code,
        estimated_value=estimated_value,
    )
    opening_committee, evaluation_committee = list(opening_committee), list(evaluation_committee)
    with transaction.atomic(durable=True):
        require(
            buyer.kind == OrganisationKind.PROCURING_ENTITY
            and has_perm(actor, Perm.DRAFT_TENDER, buyer)
        )
        now = db_now()
        tender = Tender(buyer=buyer, created_by=actor)
        diff = apply_draft_fields(
            tender, fields, opening=opening_committee, evaluation=evaluation_committee, now=now
        )
        tender.ocid = validation.ocid_for(tender.reference)
        try:
            with transaction.atomic():
                tender.save()
        except IntegrityError as exc:
            raise ReferenceTaken(field="reference", params={"reference": reference}) from exc
        record(
            action="tender.created",
            actor=actor,
            obj=tender,
            payload={
                "ocid": tender.ocid,
                "fields": {name: change["to"] for name, change in diff.items()},
            },
            **buyer_role_payload(tender),
        )
        _set_committee(tender, CommitteeKind.OPENING, opening_committee, actor=actor)
        _set_committee(tender, CommitteeKind.EVALUATION, evaluation_committee, actor=actor)
    return tender


def tender_update(
    *, actor, tender: Tender, opening_committee=None, evaluation_committee=None, **fields
) -> Tender:
    """Change a draft. Only the changed fields are saved and audited (as a diff)."""
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        require(has_perm(actor, Perm.DRAFT_TENDER, tender))
        require_draft(tender)
        opening = None if opening_committee is None else list(opening_committee)
        evaluation = None if evaluation_committee is None else list(evaluation_committee)
        diff = apply_draft_fields(
            tender, fields, opening=opening, evaluation=evaluation, now=db_now()
        )
        if not diff:
            return tender
        columns = set(diff) - {"opening_committee", "evaluation_committee"}
        if "reference" in diff:
            columns.add("ocid")
        try:
            with transaction.atomic():
                tender.save(update_fields=[*money_columns(Tender, sorted(columns)), "updated_at"])
        except IntegrityError as exc:
            raise ReferenceTaken(field="reference", params={"reference": tender.reference}) from exc
        record(
            action="tender.updated",
            actor=actor,
            obj=tender,
            payload={"changed": diff},
            **buyer_role_payload(tender),
        )
        if "opening_committee" in diff:
            _set_committee(tender, CommitteeKind.OPENING, opening, actor=actor)
        if "evaluation_committee" in diff:
            _set_committee(tender, CommitteeKind.EVALUATION, evaluation, actor=actor)
    return tender


def lot_add(
    *,
    actor,
    tender: Tender,
    estimated_value: Money,
    title: str = "",
    bid_security: Money | None = None,
    title_fa: str = "",
    description: str = "",
    description_fa: str = "",
    items=(),
) -> Lot:
    """Add a lot (numbered after the last one) with its items to a draft.

    Its title in English, in Persian or both. Without a bid security, there is
    none (zero in the lot's currency).
    """
    if bid_security is None and isinstance(estimated_value, Money):
        bid_security = Money(0, estimated_value.currency)
    values = {
        name: LOT_FIELDS[name](value)
        for name, value in {
            "title": title,
            "title_fa": title_fa,
            "description": description,
            "description_fa": description_fa,
            "estimated_value": estimated_value,
            "bid_security": bid_security,
        }.items()
    }
    validation.require_one(values["title"], values["title_fa"], field="title")
    cleaned_items = [clean_item(dict(item)) for item in items]
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, tender.pk)
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
            **buyer_role_payload(tender),
        )
    return lot


def lot_update(*, actor, lot: Lot, **fields) -> Lot:
    unknown = set(fields) - set(LOT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown lot fields: {sorted(unknown)}")
    cleaned = {name: LOT_FIELDS[name](value) for name, value in fields.items()}
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, lot.tender_id)
        lot = lot_for_update(lot)
        validation.require_one(
            cleaned.get("title", lot.title), cleaned.get("title_fa", lot.title_fa), field="title"
        )
        diff = {
            name: {"from": jsonable(getattr(lot, name)), "to": jsonable(value)}
            for name, value in cleaned.items()
            if getattr(lot, name) != value
        }
        if not diff:
            return lot
        for name in diff:
            setattr(lot, name, cleaned[name])
        lot.save(update_fields=[*money_columns(Lot, sorted(diff)), "updated_at"])
        record(
            action="tender.lot_updated",
            actor=actor,
            obj=tender,
            payload={"lot_id": lot.pk, "number": lot.number, "changed": diff},
            **buyer_role_payload(tender),
        )
    return lot


def lot_remove(*, actor, lot: Lot) -> None:
    """Remove a lot and its items; the lots after it move up one number."""
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, lot.tender_id)
        lot = lot_for_update(lot)
        removed = {
            "lot_id": lot.pk,
            "number": lot.number,
            "title": lot.title,
            "title_fa": lot.title_fa,
        }
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
            **buyer_role_payload(tender),
        )


def item_add(*, actor, lot: Lot, **fields) -> Item:
    cleaned = clean_item(fields)
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, lot.tender_id)
        item = Item.objects.create(lot=lot, **cleaned)
        record(
            action="tender.item_added",
            actor=actor,
            obj=tender,
            payload={"lot": lot.number, "item_id": item.pk, **jsonable(cleaned)},
            **buyer_role_payload(tender),
        )
    return item


def item_update(*, actor, item: Item, **fields) -> Item:
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown item fields: {sorted(unknown)}")
    cleaned = {name: ITEM_FIELDS[name](value) for name, value in fields.items()}
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, item.lot.tender_id)
        item = item_for_update(item)
        validation.require_one(
            cleaned.get("description", item.description),
            cleaned.get("description_fa", item.description_fa),
            field="description",
        )
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
            **buyer_role_payload(tender),
        )
    return item


def item_remove(*, actor, item: Item) -> None:
    with transaction.atomic(durable=True):
        tender = locked_draft(actor, item.lot.tender_id)
        item = item_for_update(item)
        payload = {
            "lot": item.lot.number,
            "item_id": item.pk,
            "description": item.description,
            "description_fa": item.description_fa,
        }
        item.delete()
        record(
            action="tender.item_removed",
            actor=actor,
            obj=tender,
            payload=payload,
            **buyer_role_payload(tender),
        )


def clean_item(values: dict) -> dict:
    unknown = set(values) - set(ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown item fields: {sorted(unknown)}")
    missing = {"quantity", "unit"} - set(values)
    if missing:
        raise InvalidTenderField(_("This field is required."), field=sorted(missing)[0])
    cleaned = {name: ITEM_FIELDS[name](value) for name, value in values.items()}
    validation.require_one(
        cleaned.get("description", ""), cleaned.get("description_fa", ""), field="description"
    )
    return cleaned


def _committee_ids(tender: Tender, kind: str) -> list[int]:
    if tender.pk is None:
        return []
    return list(
        CommitteeMembership.objects.filter(tender=tender, kind=kind)
        .order_by("pk")
        .values_list("user_id", flat=True)
    )


def _set_committee(tender: Tender, kind: str, users, *, actor) -> None:
    """Make the committee exactly `users`, recording each member added or removed.

    One `tender.committee_member_added` / `_removed` event per person (their
    pseudonymous id and the committee), after the service's own event, so the
    trail answers "who was on the opening committee, and since when" directly.
    """
    before = _committee_ids(tender, kind)
    CommitteeMembership.objects.filter(tender=tender, kind=kind).delete()
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(tender=tender, user=user, kind=kind) for user in users
    )
    after = [user.pk for user in users]
    changes = [(COMMITTEE_MEMBER_REMOVED_ACTION, pk) for pk in before if pk not in after]
    changes += [(COMMITTEE_MEMBER_ADDED_ACTION, pk) for pk in after if pk not in before]
    for action, user_id in changes:
        record(
            action=action,
            actor=actor,
            obj=tender,
            payload={"committee": kind, "member_id": user_id},
            **buyer_role_payload(tender),
        )


def apply_draft_fields(
    tender: Tender, fields: dict, *, opening, evaluation, now: datetime.datetime
) -> dict:
    """Clean `fields` and the committees, set them on `tender`; return the diff.

    The diff maps each changed field to {"from": old, "to": new} in JSON
    values. Nothing is saved here.
    """
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown tender fields: {sorted(unknown)}")
    # Every refusal is collected, so the officer sees all of a step's errors at once.
    problems = validation.Problems()
    cleaned = {}
    for name, value in fields.items():
        try:
            cleaned[name] = DRAFT_FIELDS[name](value)
        except DomainError as error:
            problems.append(error)

    def current(name):
        return tender.approver_id if name == "approver" else getattr(tender, name)

    touched = set(cleaned)
    if touched & set(EVALUATION_FIELDS):
        touched |= set(EVALUATION_FIELDS)
    before = {name: current(name) for name in touched}
    for name, value in cleaned.items():
        setattr(tender, name, value)
    if touched & set(EVALUATION_FIELDS):
        try:
            tender.evaluation_config = validation.clean_evaluation(
                tender.evaluation_method, tender.evaluation_config, tender.envelope_scheme
            )
        except DomainError as error:
            problems.append(error)
    diff = {
        name: {"from": jsonable(before[name]), "to": jsonable(current(name))}
        for name in sorted(touched)
        if before[name] != current(name)
    }
    if "reference" in diff:
        tender.ocid = validation.ocid_for(tender.reference)
    # The checks that read a field run only when the field itself was accepted.
    refused = {problem.field for problem in problems}

    if not refused & set(DATE_FIELDS):
        problems.check(
            validation.check_dates,
            clarification_deadline=tender.clarification_deadline,
            submission_deadline=tender.submission_deadline,
            opening_at=tender.opening_at,
            now=now,
            future=set(DATE_FIELDS) & set(diff),
        )
        # A deadline refused for its order needs no second message for its period.
        refused = {problem.field for problem in problems}
    period_changed = {"submission_deadline", "procurement_method"} & set(diff)
    period_refused = {"submission_deadline", "procurement_method"} & refused
    if tender.submission_deadline is not None and period_changed and not period_refused:
        # Publication cannot come before now: a deadline too close to now will not do either.
        problems.check(
            validation.check_min_period,
            method=tender.procurement_method,
            published_at=now,
            submission_deadline=tender.submission_deadline,
        )
    if "approver" in diff and "approver" not in refused:
        problems.check(
            validation.check_approver,
            tender.approver,
            buyer_id=tender.buyer_id,
            officer_ids={tender.created_by_id},
        )

    for kind, users, field in (
        (CommitteeKind.OPENING, opening, "opening_committee"),
        (CommitteeKind.EVALUATION, evaluation, "evaluation_committee"),
    ):
        if users is None:
            continue
        problems.check(validation.check_committee_members, tender.buyer_id, users, field=field)
        old, new = _committee_ids(tender, kind), [user.pk for user in users]
        if old != new:
            diff[field] = {"from": old, "to": new}
    threshold_changed = {"opening_threshold", "opening_committee"} & set(diff)
    if threshold_changed and not {"opening_threshold", "opening_committee"} & refused:
        size = len(opening) if opening is not None else len(_committee_ids(tender, "opening"))
        problems.check(validation.check_opening_threshold, tender.opening_threshold, size)
    problems.raise_them(InvalidDraft)
    return diff
