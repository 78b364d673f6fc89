"""Submitting, withdrawing and confirming sealed bids.

A submission has two halves. Outside any transaction, each envelope is
checked without a key (`panjere_client.envelope.inspect`: magic, version,
canonical header, context, tender key, framing, size; SHA-256 computed as it
streams) and copied, still sealed, into the `envelopes` storage. Then one
durable transaction takes the locks (the audit chain head first, then the
tender, then the supplier's bids of the lot), reads the database time after
them, and accepts iff that time is before the deadline: a submission queued
behind the locks at the last moment is judged by when it commits. Files the
transaction does not commit are removed (`core.storage.stored_files`); a
process killed in between leaves files no bid references, which
`envelopes_sweep_orphans` removes.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Perm, has_perm
from audit.selectors import latest_checkpoint
from audit.services import hold_chain, record
from audit.transitions import run_transition
from core.clock import db_now
from core.storage import stored_files
from notifications.services import notify
from panjere_client import envelope as sealed
from suppliers.selectors import supplier_by_pk, supplier_eligibility
from tenders.lock_objects import tender_for_update
from tenders.selectors import supplier_may_take_part, takes_bids

from . import keys
from .exceptions import (
    BidInvalidTransition,
    BidNotAllowed,
    DeadlinePassed,
    EnvelopeRejected,
    EnvelopeTooLarge,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    SupplierNotEligible,
    SupplierNotInvited,
    TenderNotTakingBids,
    WrongBidVersion,
    WrongEnvelopes,
)
from .lock_objects import bid_for_update, bids_to_confirm_for_update, current_bids_for_update
from .models import Bid, BidState, Envelope, Receipt
from .receipts import receipt_sign
from .storage import envelope_storage

CONFIRMATION_TITLE = gettext_lazy("Tender %(reference)s was amended: confirm or resubmit your bid")
CONFIRMATION_BODY = gettext_lazy(
    "Amendment %(number)s of tender %(reference)s changed what bids answer. Your bid for lot "
    "%(lot)s stays sealed; confirm it as it is, or resubmit, before the deadline."
)
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,100}")
STORAGE_PREFIX = "bids/"


@dataclass(frozen=True)
class Submission:
    """What `bid_submit` returns: the bid, and whether it was made now or earlier (a retry)."""

    bid: Bid
    created: bool


@dataclass(frozen=True)
class _Checked:
    kind: str
    upload: object
    sha256: str
    size: int


class _Replay(Exception):
    """The idempotency key names a bid committed earlier with the same envelopes."""

    def __init__(self, bid):
        self.bid = bid


def bid_submit(
    *, actor, tender, lot, supplier, envelopes: dict, idempotency_key: str
) -> Submission:
    """Accept a sealed bid for `lot` from `supplier`, or refuse it leaving nothing behind.

    `envelopes` maps each envelope kind to a readable, seekable file of its
    ciphertext (an upload already on disk). The bid's version is the next of
    the supplier's versions for the lot, and the envelopes must be sealed for
    exactly it. A retry with the same `idempotency_key` and the same envelopes
    returns the bid made the first time (`created=False`) and stores nothing.
    """
    if not isinstance(idempotency_key, str) or not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
        raise InvalidIdempotencyKey()
    _check_submitter(actor=actor, tender=tender, lot=lot, supplier=supplier)
    kinds = keys.envelope_kinds(tender)
    if set(envelopes) != set(kinds):
        raise WrongEnvelopes(
            _("This tender takes exactly these envelopes: %(kinds)s.")
            % {"kinds": ", ".join(kinds)},
            params={"expected": list(kinds), "received": sorted(envelopes)},
        )
    earlier = Bid.objects.filter(supplier=supplier, idempotency_key=idempotency_key).first()
    if earlier is not None:
        sent = [_Checked(kind, envelopes[kind], *_digest(envelopes[kind])) for kind in kinds]
        return Submission(_replayed(earlier, lot=lot, checked=sent), created=False)
    version = _next_version(lot=lot, supplier=supplier)
    checked = [
        _inspect(
            tender=tender,
            lot=lot,
            supplier=supplier,
            kind=kind,
            upload=envelopes[kind],
            version=version,
        )
        for kind in kinds
    ]
    _check_bidder(tender=tender, supplier=supplier)
    try:
        with stored_files() as files:
            rows = []
            for item in checked:
                row = Envelope(kind=item.kind, sha256=item.sha256, size=item.size)
                item.upload.seek(0)
                name = f"{STORAGE_PREFIX}{tender.pk}/{uuid.uuid4().hex}.pje"
                files.save(row.file, name, File(item.upload, name=name))
                rows.append(row)
            with transaction.atomic(durable=True):
                bid = _accept(
                    actor=actor,
                    tender=tender,
                    lot=lot,
                    supplier=supplier,
                    version=version,
                    rows=rows,
                    checked=checked,
                    idempotency_key=idempotency_key,
                )
    except _Replay as replay:
        return Submission(replay.bid, created=False)
    except IntegrityError:
        # The key's unique constraint: the same key sent at once for another tender (the
        # tender lock serialises everything else). Nothing was kept.
        raise IdempotencyKeyReused() from None
    return Submission(bid, created=True)


def _check_submitter(*, actor, tender, lot, supplier) -> None:
    if lot.tender_id != tender.pk:
        raise ValueError("the lot is not the tender's")
    if not has_perm(actor, Perm.SUBMIT_BID, supplier):
        raise BidNotAllowed(params={"permission": str(Perm.SUBMIT_BID)})


def _check_bidder(*, tender, supplier) -> None:
    """Refuse a supplier that may not bid now, or is not invited to a restricted tender."""
    eligibility = supplier_eligibility(supplier_by_pk(supplier.pk))  # its row as committed
    if not eligibility.eligible:
        raise SupplierNotEligible(
            " ".join(str(reason.message) for reason in eligibility.reasons),
            params={"reasons": [reason.code for reason in eligibility.reasons]},
        )
    if not supplier_may_take_part(tender=tender, supplier=supplier):
        raise SupplierNotInvited()


def _next_version(*, lot, supplier) -> int:
    latest = Bid.objects.filter(lot=lot, supplier=supplier).aggregate(latest=Max("version"))
    return (latest["latest"] or 0) + 1


def _refusal(error: sealed.EnvelopeError, kind: str) -> EnvelopeRejected:
    reason = type(error).__name__
    cls = EnvelopeTooLarge if isinstance(error, sealed.EnvelopeTooLarge) else EnvelopeRejected
    return cls(
        _("The %(kind)s envelope was refused (%(reason)s): %(detail)s")
        % {"kind": kind, "reason": reason, "detail": str(error)},
        params={"kind": kind, "reason": reason},
        field=kind,
    )


def _inspect(*, tender, lot, supplier, kind, upload, version) -> _Checked:
    """Check one envelope as it streams, without a key; return its SHA-256 and size."""
    public_key = keys.tender_public_key(tender, kind)
    context = sealed.Context(
        tender=tender.ocid,
        lot=str(lot.number),
        kind=kind,
        supplier=str(supplier.pk),
        bid_version=version,
    )
    upload.seek(0)
    try:
        header = sealed.parse_header(upload)
    except sealed.EnvelopeError as error:
        raise _refusal(error, kind) from None
    if header.context.bid_version != version and header.context == sealed.Context(
        **{**context.to_json(), "bid_version": header.context.bid_version}
    ):
        raise WrongBidVersion(
            _("The %(kind)s envelope is sealed for version %(sealed)s; the next is %(next)s.")
            % {"kind": kind, "sealed": header.context.bid_version, "next": version},
            params={"kind": kind, "sealed": header.context.bid_version, "expected": version},
        )
    upload.seek(0)
    try:
        summary = sealed.inspect(
            upload,
            expected_context=context,
            tender_key=public_key,
            max_size=settings.BIDDING_ENVELOPE_MAX_BYTES,
        )
    except sealed.EnvelopeError as error:
        raise _refusal(error, kind) from None
    return _Checked(kind=kind, upload=upload, sha256=summary.sha256, size=summary.size)


def _digest(upload) -> tuple[str, int]:
    """SHA-256 (hex) and size of an upload, read in blocks."""
    upload.seek(0)
    digest, size = hashlib.sha256(), 0
    while block := upload.read(1024 * 1024):
        digest.update(block)
        size += len(block)
    return digest.hexdigest(), size


def _replayed(bid: Bid, *, lot, checked) -> Bid:
    """The earlier bid of a retried submission, if it is really the same submission."""
    stored = {(row.kind, row.sha256, row.size) for row in bid.envelopes.all()}
    sent = {(item.kind, item.sha256, item.size) for item in checked}
    if bid.lot_id != lot.pk or stored != sent:
        raise IdempotencyKeyReused(params={"bid": bid.pk})
    return bid


def _accept(*, actor, tender, lot, supplier, version, rows, checked, idempotency_key) -> Bid:
    """The submitting transaction: locks, then the database time, then the deadline rule.

    What needs no lock is read first, so that the part serialised behind the
    chain head stays short: the supplier's eligibility (in this transaction, so
    as committed now) and the latest signed checkpoint.
    """
    _check_bidder(tender=tender, supplier=supplier)
    checkpoint = latest_checkpoint()
    hold_chain()
    tender = tender_for_update(tender)
    now = db_now()  # read after the locks: a submission is judged by when it commits
    _check_open(tender, now=now)
    earlier = Bid.objects.filter(supplier=supplier, idempotency_key=idempotency_key).first()
    if earlier is not None:
        raise _Replay(_replayed(earlier, lot=lot, checked=checked))
    # Every write of this tender's bids holds the tender's row lock: the current bid (at
    # most one) is locked for its transition, the older versions are only counted.
    bids = current_bids_for_update(lot=lot, supplier=supplier)
    expected = _next_version(lot=lot, supplier=supplier)
    if version != expected:
        raise WrongBidVersion(
            _("Another submission of this bid was accepted meanwhile; seal version %(next)s.")
            % {"next": expected},
            params={"sealed": version, "expected": expected},
        )
    superseded = [bid for bid in bids if bid.state == BidState.SUBMITTED]
    for previous in superseded:
        run_transition(
            previous,
            previous.supersede,
            actor=actor,
            action="bid.superseded",
            payload={"by_version": version},
            error=BidInvalidTransition,
            organisation=supplier.organisation,
        )
    bid = Bid.objects.create(
        tender=tender,
        lot=lot,
        supplier=supplier,
        version=version,
        submitted_by=actor,
        submitted_at=now,
        idempotency_key=idempotency_key,
    )
    for row in rows:
        row.bid = bid
    Envelope.objects.bulk_create(rows)
    event = record(
        action="bid.submitted",
        actor=actor,
        obj=bid,
        organisation=supplier.organisation,
        payload={
            "tender": tender.ocid,
            "lot": str(lot.number),
            "supplier": str(supplier.pk),
            "bid_version": version,
            "envelopes": [
                {"kind": row.kind, "sha256": row.sha256, "size": row.size} for row in rows
            ],
            "supersedes": [previous.pk for previous in superseded],
        },
    )
    # The event's time is read later still, under the same locks: the bid is judged by it
    # too, so that no event of an accepted bid is dated at or after the deadline.
    _check_open(tender, now=event.recorded_at)
    if event.recorded_at != bid.submitted_at:
        bid.submitted_at = event.recorded_at
        bid.save(update_fields=["submitted_at"])
    document = receipt_sign(
        bid=bid,
        envelopes=rows,
        received_at=bid.submitted_at,
        audit_seq=event.seq,
        checkpoint=checkpoint,
    )
    Receipt.objects.create(bid=bid, document=document, audit_seq=event.seq)
    return bid


def _check_open(tender, *, now) -> None:
    if not takes_bids(tender):
        raise TenderNotTakingBids(params={"state": tender.state})
    if tender.submission_deadline is None or now >= tender.submission_deadline:
        raise DeadlinePassed(
            _("The submission deadline passed at %(deadline)s.")
            % {
                "deadline": tender.submission_deadline.isoformat()
                if tender.submission_deadline
                else "—"
            },
            params={
                "deadline": tender.submission_deadline.isoformat()
                if tender.submission_deadline
                else None
            },
        )


def _own_bid_for_update(*, actor, bid) -> Bid:
    hold_chain()
    tender = tender_for_update(bid.tender_id)
    bid = bid_for_update(bid.pk)
    if not has_perm(actor, Perm.SUBMIT_BID, bid.supplier):
        raise BidNotAllowed(params={"permission": str(Perm.SUBMIT_BID)})
    _check_open(tender, now=db_now())
    return bid


def bid_withdraw(*, actor, bid: Bid, reason: str = "") -> Bid:
    """Withdraw the current bid before the deadline; its envelopes stay sealed, never opened."""
    with transaction.atomic(durable=True):
        bid = _own_bid_for_update(actor=actor, bid=bid)
        now = db_now()
        run_transition(
            bid,
            bid.withdraw,
            actor=actor,
            action="bid.withdrawn",
            reason=reason,
            update_fields=["withdrawn_at"],
            error=BidInvalidTransition,
            organisation=bid.supplier.organisation,
            at=now,
        )
    return bid


def bid_confirm(*, actor, bid: Bid) -> Bid:
    """Confirm the current bid after a material amendment (before the deadline)."""
    with transaction.atomic(durable=True):
        bid = _own_bid_for_update(actor=actor, bid=bid)
        if bid.state != BidState.SUBMITTED or bid.confirmation_requested_by_id is None:
            raise BidInvalidTransition(
                _("Only a current bid that an amendment asks about can be confirmed."),
                params={"state": bid.state},
            )
        amendment_id = bid.confirmation_requested_by_id
        bid.confirmation_requested_by = None
        bid.confirmed_at = db_now()
        bid.save(update_fields=["confirmation_requested_by", "confirmed_at"])
        record(
            action="bid.confirmed",
            actor=actor,
            obj=bid,
            organisation=bid.supplier.organisation,
            payload={"amendment_id": amendment_id},
        )
    return bid


def bids_request_confirmation(*, tender_id: int, amendment_id: int) -> int:
    """After a material amendment: mark the tender's current bids and ask their suppliers.

    Runs in the caller's transaction (the outbox handler's); idempotent, since a
    bid already marked for this amendment is skipped. Returns how many bids it marked.
    """
    amendment = _amendment(tender_id=tender_id, amendment_id=amendment_id)
    if amendment is None or not amendment.material:
        return 0
    bids = bids_to_confirm_for_update(tender_id=tender_id, amendment=amendment)
    for bid in bids:
        bid.confirmation_requested_by = amendment
        bid.confirmed_at = None
        bid.save(update_fields=["confirmation_requested_by", "confirmed_at"])
        record(
            action="bid.confirmation_requested",
            actor=None,
            obj=bid,
            organisation=bid.supplier.organisation,
            payload={"amendment_id": amendment.pk, "amendment_number": amendment.number},
        )
        notify(
            recipients=[bid.submitted_by_id],
            kind="bid.confirmation_requested",
            title=CONFIRMATION_TITLE,
            body=CONFIRMATION_BODY,
            url=f"/bids/{bid.pk}/",
            context={
                "reference": bid.tender.reference,
                "lot": bid.lot.number,
                "number": amendment.number,
            },
        )
    return len(bids)


def _amendment(*, tender_id, amendment_id):
    from tenders.models import Amendment

    return Amendment.objects.filter(pk=amendment_id, tender_id=tender_id).first()


def envelopes_sweep_orphans(*, older_than_seconds: int | None = None) -> list[str]:
    """Remove stored envelope files that no bid references and that are old enough.

    A file is stored before its bid's transaction; if the process dies between
    the two, the file stays behind unreferenced. Files younger than
    BIDDING_ORPHAN_AFTER_SECONDS are left alone: their transaction may still commit.
    """
    import datetime

    if older_than_seconds is None:
        older_than_seconds = settings.BIDDING_ORPHAN_AFTER_SECONDS
    cutoff = db_now() - datetime.timedelta(seconds=older_than_seconds)
    removed = []
    for name in _stored_names(STORAGE_PREFIX.rstrip("/")):
        if Envelope.objects.filter(file=name).exists():
            continue
        modified = envelope_storage.get_modified_time(name)
        if modified > cutoff:
            continue
        # Checked again just before removal: a bid may have committed meanwhile.
        if not Envelope.objects.filter(file=name).exists():
            envelope_storage.delete(name)
            removed.append(name)
    return removed


def _stored_names(folder: str):
    try:
        directories, files = envelope_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _stored_names(f"{folder}/{directory}")
