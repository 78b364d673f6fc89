"""Ending a tender: cancelled with a public reason, closed at its deadline, or unsuccessful."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from audit.services import checkpoint_after_commit
from core import bilingual
from core.clock import db_now

from .. import ocds
from ..exceptions import DeadlineNotReached, TenderNotAllowed
from ..lock_objects import due_tender_for_update, tender_for_update
from ..models import Tender, TenderState
from ..notifications import followers, notify_tender
from .fields import jsonable
from .steps import clean_reason, ensure_can, require, run_tender_transition


def tender_cancel(*, actor, tender: Tender, reason: str, reason_fa: str = "") -> Tender:
    """Cancel a tender before award, with a reason that is published on the notice.

    The reason in English, in Persian or both (core.bilingual.pair).
    """
    reason, reason_fa = bilingual.pair(reason, reason_fa)
    clean_reason(reason or reason_fa)
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        require(has_perm(actor, Perm.CANCEL_TENDER, tender))
        was_public = tender.is_public
        run_tender_transition(
            tender,
            tender.cancel,
            actor=actor,
            action="tender.cancelled",
            reason=bilingual.both(reason, reason_fa),
            update_fields=["cancellation_reason", "cancellation_reason_fa", "cancelled_at"],
            grounds=reason,
            grounds_fa=reason_fa,
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
    reason = clean_reason(reason)
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        if actor is not None:
            require(has_perm(actor, Perm.CANCEL_TENDER, tender))
        run_tender_transition(
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


def tender_close(*, tender: Tender, actor=None) -> Tender:
    """Close a published tender whose submission deadline has passed (database time).

    Only the platform closes (`actor` None): closing is bookkeeping, the bid
    gate is the database time in the bidding transaction. Idempotent: an
    already closed tender is returned unchanged, with no new event.
    """
    if actor is not None:
        raise TenderNotAllowed(_("A tender closes by itself at its submission deadline."))
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        if tender.state == TenderState.CLOSED:
            return tender
        ensure_can(tender, tender.close)
        now = db_now()
        if now < tender.submission_deadline:
            raise DeadlineNotReached(
                field="submission_deadline",
                params={"submission_deadline": jsonable(tender.submission_deadline)},
            )
        close_locked(tender, now)
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
            tender = due_tender_for_update(pk, now=now)
            if tender is None:
                # Closed by another sweep, being changed right now, or extended.
                continue
            close_locked(tender, db_now())
            closed += 1
    return closed


def close_locked(tender: Tender, now: datetime.datetime) -> None:
    run_tender_transition(
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
    # The deadline is a milestone: a signed checkpoint covers the record up to the closing.
    checkpoint_after_commit(reason="tender.closed")
