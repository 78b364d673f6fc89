"""Submitting a sealed bid: checked without a key, stored, accepted under the deadline rule."""

import base64
import datetime
import hashlib
import io

import pytest
from django.conf import settings

from audit.models import Event
from bidding import services
from bidding.exceptions import (
    BidNotAllowed,
    DeadlinePassed,
    EnvelopeRejected,
    EnvelopeTooLarge,
    IdempotencyKeyReused,
    InvalidIdempotencyKey,
    SupplierNotEligible,
    SupplierNotInvited,
    TenderKeyMissing,
    TenderNotTakingBids,
    WrongBidVersion,
    WrongEnvelopes,
)
from bidding.models import Bid, BidState, Envelope, Receipt
from bidding.receipts import receipt_verify
from bidding.storage import envelope_storage
from core.clock import frozen_at
from panjere_client import envelope as sealed
from suppliers import services as supplier_services
from tenders.models import KeyShare, TenderKey
from tests.bidding.envelopes import split
from tests.bidding.factories import SUBMISSION_DEADLINE, bidder, published, seal, upload
from tests.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]

SECOND = datetime.timedelta(seconds=1)


def submit(keys, tender, lot, supplier, actor, *, key="key-1", version=1, data=None, **extra):
    data = data if data is not None else seal(keys, tender, lot, supplier, version=version)
    envelopes = extra.pop("envelopes", None) or {"single": upload(data)}
    return services.bid_submit(
        actor=actor,
        tender=tender,
        lot=lot,
        supplier=supplier,
        envelopes=envelopes,
        idempotency_key=key,
    )


def test_a_sealed_bid_is_stored_audited_and_receipted(tender_keys, nothing_written):
    # given a published single-envelope tender and an eligible supplier
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    events = Event.objects.count()
    # when its admin submits a sealed envelope a second before the deadline
    with frozen_at(SUBMISSION_DEADLINE - SECOND):
        submission = submit(tender_keys, tender, lot, supplier, admin, data=data)
    # then the bid is version 1, submitted at the database time, with its envelope stored as sent
    bid = Bid.objects.get()
    assert submission.created is True
    assert submission.bid == bid
    assert (bid.tender, bid.lot, bid.supplier, bid.version, bid.state) == (
        tender,
        lot,
        supplier,
        1,
        BidState.SUBMITTED,
    )
    assert bid.submitted_at == SUBMISSION_DEADLINE - SECOND
    assert bid.submitted_by == admin
    row = Envelope.objects.get()
    assert (row.kind, row.sha256, row.size) == (
        "single",
        hashlib.sha256(data).hexdigest(),
        len(data),
    )
    with envelope_storage.open(row.file.name) as stored:
        assert stored.read() == data
    assert row.file.name.startswith(f"bids/{tender.pk}/")
    assert nothing_written.files() == [row.file.name]
    # and one audit event records it, with hashes and sizes but nothing of the content
    event = Event.objects.get(action="bid.submitted")
    assert Event.objects.count() == events + 1
    assert event.object_id == str(bid.pk)
    assert event.payload == {
        "tender": tender.ocid,
        "lot": "1",
        "supplier": str(supplier.pk),
        "bid_version": 1,
        "envelopes": [{"kind": "single", "sha256": row.sha256, "size": len(data)}],
        "supersedes": [],
    }
    # and the receipt is signed, verifies, and lists exactly this
    receipt = Receipt.objects.get(bid=bid)
    assert receipt.audit_seq == event.seq
    document = receipt.document
    verified = receipt_verify(document)
    assert verified.key_status == "current"
    assert {k: v for k, v in document.items() if k not in ("signature", "key_id")} == {
        "type": "panjere.bid_receipt",
        "format": 1,
        "tender": tender.ocid,
        "lot": "1",
        "bid": str(bid.pk),
        "bid_version": 1,
        "supplier": str(supplier.pk),
        "envelopes": [{"kind": "single", "sha256": row.sha256, "size": len(data)}],
        "received_at": "2029-07-06T08:59:59.000000Z",
        "audit_seq": event.seq,
        "checkpoint": None,
    }
    verified.check_envelope(kind="single", sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def test_the_receipt_names_the_latest_checkpoint(tender_keys):
    from audit.services import checkpoint_take

    tender, lot, _team = published()
    supplier, admin = bidder()
    checkpoint = checkpoint_take()
    submission = submit(tender_keys, tender, lot, supplier, admin)
    assert submission.bid.receipt.document["checkpoint"] == {
        "size": checkpoint.size,
        "root_hash": checkpoint.root_hash,
    }


def test_a_two_envelope_tender_takes_a_technical_and_a_financial_envelope(tender_keys):
    tender, lot, _team = published(envelope_scheme="two")
    supplier, admin = bidder()
    technical = seal(tender_keys, tender, lot, supplier, "technical")
    financial = seal(tender_keys, tender, lot, supplier, "financial")
    submission = submit(
        tender_keys,
        tender,
        lot,
        supplier,
        admin,
        envelopes={"technical": upload(technical), "financial": upload(financial)},
    )
    assert [(e["kind"], e["size"]) for e in submission.bid.receipt.document["envelopes"]] == [
        ("financial", len(financial)),
        ("technical", len(technical)),
    ]


def test_at_the_deadline_the_bid_is_refused_and_nothing_is_kept(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    with (
        nothing_written(),
        frozen_at(SUBMISSION_DEADLINE),
        pytest.raises(DeadlinePassed) as refused,
    ):
        submit(tender_keys, tender, lot, supplier, admin, data=data)
    assert refused.value.code == "bid.deadline_passed"
    assert refused.value.params == {"deadline": "2029-07-06T09:00:00+00:00"}


def test_a_resubmission_supersedes_the_earlier_version_which_stays_sealed(tender_keys):
    tender, lot, _team = published()
    supplier, admin = bidder()
    first = submit(tender_keys, tender, lot, supplier, admin, key="a").bid
    # when the supplier resubmits, sealed for version 2
    second = submit(tender_keys, tender, lot, supplier, admin, key="b", version=2).bid
    first.refresh_from_db()
    assert (first.state, second.state, second.version) == ("superseded", "submitted", 2)
    assert first.envelopes.count() == 1  # kept, sealed, never opened
    superseded = Event.objects.get(action="bid.superseded")
    assert superseded.object_id == str(first.pk)
    assert superseded.payload == {"from": "submitted", "to": "superseded", "by_version": 2}
    assert Event.objects.filter(action="bid.submitted").latest("seq").payload["supersedes"] == [
        first.pk
    ]


def test_a_retry_with_the_same_idempotency_key_returns_the_same_bid(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    first = submit(tender_keys, tender, lot, supplier, admin, key="retry-me", data=data)
    with nothing_written():
        again = submit(tender_keys, tender, lot, supplier, admin, key="retry-me", data=data)
    assert (again.created, again.bid) == (False, first.bid)


def test_an_idempotency_key_reused_for_other_envelopes_is_refused(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    first = submit(tender_keys, tender, lot, supplier, admin, key="k")
    other = seal(tender_keys, tender, lot, supplier, version=2)
    with nothing_written(), pytest.raises(IdempotencyKeyReused) as refused:
        submit(tender_keys, tender, lot, supplier, admin, key="k", data=other)
    assert refused.value.params == {"bid": first.bid.pk}


@pytest.mark.parametrize("key", ["", "a" * 101, "has space", "ключ"])
def test_an_invalid_idempotency_key_is_refused(tender_keys, nothing_written, key):
    tender, lot, _team = published()
    supplier, admin = bidder()
    with nothing_written(), pytest.raises(InvalidIdempotencyKey):
        submit(tender_keys, tender, lot, supplier, admin, key=key)


def _tamper(data: bytes, how: str) -> bytes:
    prefix, records = split(data)
    if how == "truncated":
        return prefix + b"".join(records[:-1])
    if how == "trailing":
        return data + b"\x00"
    if how == "magic":
        return b"\x00" + data[1:]
    raise ValueError(how)


@pytest.mark.parametrize(
    ("how", "reason"),
    [
        ("truncated", "EnvelopeTruncated"),
        ("trailing", "TrailingData"),
        ("magic", "BadMagic"),
        ("another_tender", "ContextMismatch"),
        ("another_supplier", "ContextMismatch"),
        ("another_kind", "ContextMismatch"),
        ("wrong_key", "WrongTenderKey"),
        ("empty", "EnvelopeTruncated"),
    ],
)
def test_a_malformed_envelope_is_refused_by_name_and_nothing_is_kept(
    tender_keys, nothing_written, how, reason
):
    tender, lot, _team = published()
    supplier, admin = bidder()
    if how == "another_tender":
        data = seal(tender_keys, tender, lot, supplier, overrides={"tender": "ocds-other-1"})
    elif how == "another_supplier":
        data = seal(tender_keys, tender, lot, supplier, overrides={"supplier": "999999"})
    elif how == "another_kind":
        data = seal(tender_keys, tender, lot, supplier, kind="financial")
    elif how == "wrong_key":
        data = seal(tender_keys, tender, lot, supplier, sealed_kind="financial")
    elif how == "empty":
        data = b""
    else:
        data = _tamper(seal(tender_keys, tender, lot, supplier), how)
    with nothing_written(), pytest.raises(EnvelopeRejected) as refused:
        submit(tender_keys, tender, lot, supplier, admin, data=data)
    assert refused.value.code == "bid.envelope_rejected"
    assert refused.value.params == {"kind": "single", "reason": reason}


def test_an_envelope_over_the_size_limit_is_refused(tender_keys, nothing_written, settings):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    settings.BIDDING_ENVELOPE_MAX_BYTES = len(data) - 1
    with nothing_written(), pytest.raises(EnvelopeTooLarge) as refused:
        submit(tender_keys, tender, lot, supplier, admin, data=data)
    assert refused.value.code == "bid.envelope_too_large"
    assert refused.value.status == 413


def test_an_envelope_sealed_for_another_version_is_refused(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    with nothing_written(), pytest.raises(WrongBidVersion) as refused:
        submit(tender_keys, tender, lot, supplier, admin, version=2)
    assert refused.value.params == {"kind": "single", "sealed": 2, "expected": 1}


def test_missing_or_extra_envelopes_are_refused(tender_keys, nothing_written):
    tender, lot, _team = published(envelope_scheme="two")
    supplier, admin = bidder()
    technical = seal(tender_keys, tender, lot, supplier, "technical")
    with nothing_written(), pytest.raises(WrongEnvelopes) as refused:
        submit(
            tender_keys, tender, lot, supplier, admin, envelopes={"technical": upload(technical)}
        )
    assert refused.value.params == {
        "expected": ["technical", "financial"],
        "received": ["technical"],
    }


def test_a_tender_without_a_published_key_takes_no_envelope(nothing_written):
    # a tender whose sealing keys are missing (published before keys, or lost)
    tender, lot, _team = published()
    KeyShare.objects.filter(tender_key__tender=tender).delete()
    TenderKey.objects.filter(tender=tender).delete()
    supplier, admin = bidder()
    with nothing_written(), pytest.raises(TenderKeyMissing) as refused:
        services.bid_submit(
            actor=admin,
            tender=tender,
            lot=lot,
            supplier=supplier,
            envelopes={"single": upload(b"whatever")},
            idempotency_key="k",
        )
    assert refused.value.params == {"kind": "single"}


def test_a_supplier_that_may_not_bid_now_is_refused(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    reviewer = make_member("platform_admin")
    supplier_services.supplier_suspend(actor=reviewer, supplier=supplier, reason="Fraud inquiry")
    data = seal(tender_keys, tender, lot, supplier)
    with nothing_written(), pytest.raises(SupplierNotEligible) as refused:
        submit(tender_keys, tender, lot, supplier, admin, data=data)
    assert refused.value.params == {"reasons": ["supplier.suspended"]}
    assert str(refused.value) == "The supplier is suspended."


def test_a_restricted_tender_takes_bids_from_invited_suppliers_only(tender_keys, nothing_written):
    tender, lot, _team = published(procurement_method="restricted")
    outsider, admin = bidder()
    with nothing_written(), pytest.raises(SupplierNotInvited) as refused:
        submit(tender_keys, tender, lot, outsider, admin)
    assert refused.value.code == "bid.supplier_not_invited"
    invited = tender.invitations.first().supplier
    invited_admin = invited.organisation.memberships.get(role="supplier_admin").user
    assert submit(tender_keys, tender, lot, invited, invited_admin).created is True


def test_someone_outside_the_supplier_may_not_bid_for_it(tender_keys, nothing_written):
    tender, lot, team = published()
    supplier, _admin = bidder()
    for stranger in (team.officer, bidder()[1], make_member("bidder")):
        with nothing_written(), pytest.raises(BidNotAllowed):
            submit(tender_keys, tender, lot, supplier, stranger)


def test_a_tender_that_is_not_published_takes_no_bid(tender_keys, nothing_written):
    from tests.tenders.factories import tender_in_state

    tender, _team = tender_in_state("awaiting_approval")
    lot = tender.lots.get()
    supplier, admin = bidder()
    with nothing_written(), pytest.raises(TenderNotTakingBids):
        submit(tender_keys, tender, lot, supplier, admin)


def test_the_receipt_refuses_an_altered_copy(tender_keys):
    from panjere_client.receipts import BadSignature

    tender, lot, _team = published()
    supplier, admin = bidder()
    document = dict(submit(tender_keys, tender, lot, supplier, admin).bid.receipt.document)
    document["received_at"] = "2029-07-06T08:00:00.000000Z"
    with pytest.raises(BadSignature):
        receipt_verify(document)


def test_the_signature_is_the_platform_key(tender_keys):
    from core import signing

    tender, lot, _team = published()
    supplier, admin = bidder()
    document = submit(tender_keys, tender, lot, supplier, admin).bid.receipt.document
    assert document["key_id"] == signing.current_key().key_id
    assert len(base64.b64decode(document["signature"])) == 64
    assert settings.BIDDING_ENVELOPE_MAX_BYTES == 200 * 1024 * 1024
    assert isinstance(sealed.KINDS, tuple) and io  # the modules used above
