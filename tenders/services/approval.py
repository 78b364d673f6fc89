"""Four-eyes approval: the officer submits a complete draft, another person approves it.

Publication runs what it causes explicitly, in its own transaction, in the
order `tender_approve_and_publish` lists them; nothing is registered to run
behind its back.
"""

from django.db import transaction

from accounts.permissions import Perm, has_perm
from audit.services import checkpoint_after_commit
from core.clock import db_now

from .. import keys, ocds, validation
from ..exceptions import FourEyesViolation, TenderIncomplete
from ..lock_objects import tender_for_update
from ..models import Tender
from ..notifications import notify_tender
from ..rules import is_second_pair_of_eyes
from .fields import jsonable
from .invitations import notify_invited
from .steps import clean_reason, ensure_can, require, run_tender_transition


def tender_submit_for_approval(*, actor, tender: Tender) -> Tender:
    """The officer sends a complete draft to its approver."""
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        require(has_perm(actor, Perm.DRAFT_TENDER, tender))
        ensure_can(tender, tender.submit_for_approval)
        now = db_now()
        _raise_problems(
            validation.readiness_problems(
                tender, now=now, officer_ids={tender.created_by_id, actor.pk}
            )
        )
        run_tender_transition(
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
    reasons = clean_reason(reasons, field="reasons")
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        require(has_perm(actor, Perm.DECIDE_APPROVAL, tender))
        run_tender_transition(
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
    time. Then what publication causes runs in this transaction, explicitly
    (`publication_consequences`); if any of it fails, nothing is published.
    """
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        if actor is not None and not is_second_pair_of_eyes(actor, tender):
            raise FourEyesViolation()
        require(has_perm(actor, Perm.DECIDE_APPROVAL, tender))
        ensure_can(tender, tender.approve_and_publish)
        now = db_now()
        _raise_problems(
            validation.readiness_problems(
                tender, now=now, officer_ids={tender.created_by_id, tender.submitted_by_id}
            )
        )
        # First of what publication causes: the `tender.published` event (and so the
        # checkpoint taken at publication) carries the fingerprints of the keys made here.
        sealing_keys = keys.tender_keys_generate(tender=tender, actor=actor)
        run_tender_transition(
            tender,
            tender.approve_and_publish,
            actor=actor,
            action="tender.published",
            update_fields=["approved_by", "published_at", "return_reasons"],
            payload={
                "ocid": tender.ocid,
                "published_at": jsonable(now),
                "submission_deadline": jsonable(tender.submission_deadline),
                "opening_threshold": tender.opening_threshold,
                "sealing_keys": [
                    {"kind": key.kind, "fingerprint": key.fingerprint} for key in sealing_keys
                ],
                "share_holders": keys.share_holder_fingerprints(sealing_keys),
            },
            by=actor,
            at=now,
        )
        publication_consequences(tender=tender, actor=actor)
    return tender


def publication_consequences(*, tender: Tender, actor) -> None:
    """What publishing a tender causes, in the publishing transaction, in this order.

    Called by `tender_approve_and_publish` once the tender is published (its
    `published_at` saved, its `tender.published` event written), its row still
    locked. If a step raises, the whole publication rolls back: the tender
    stays awaiting approval and nothing of it is on the record.

    1. Before this function runs, `tender_approve_and_publish` has made the tender's keys
       (`tenders.keys.tender_keys_generate`): one key pair per envelope kind,
       each private key split into sealed shares for the opening committee. It
       runs just before the `tender.published` event is written, because that
       event's payload carries the keys' fingerprints (so the checkpoint taken
       at publication covers them); it refuses, and nothing is published,
       while a committee member has no opening key or k < 2 or n < k. The
       keys belong to the tender's floor (its notice and its OCDS release
       publish the public keys); bidding, a floor above, seals envelopes to them.
    2. The OCDS `tender` release (public from the commit), and a signed
       checkpoint of the audit trail once it commits.
    3. The notifications: the officer who prepared it, and the people of every
       invited supplier of a restricted tender.
    """
    ocds.release_record(tender=tender, tag=ocds.TAG_TENDER)
    # Publication is a milestone: a signed checkpoint covers the tender as published.
    checkpoint_after_commit(reason="tender.published")
    notify_tender(
        tender,
        event="published",
        recipients=[tender.created_by_id, tender.submitted_by_id],
        exclude=actor,
    )
    notify_invited(tender)


def _raise_problems(problems) -> None:
    """Refuse, with every problem found, a tender not ready for approval or publication."""
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
