"""The deadline on PostgreSQL: many submissions straddling it, real threads, real connections.

Each submission stores its envelope, then waits for the audit chain head and
the tender row; the database time is read only once it holds them. So a
submission that queued at the last moment is judged by when it commits: none
is accepted at or after the deadline, and every one acknowledged is stored.
"""

import datetime
import hashlib
import threading
import time

import pytest
from django.db import connection

from audit.models import Event
from audit.selectors import key_set
from bidding import services
from bidding.exceptions import DeadlinePassed
from bidding.models import Bid, Envelope
from core.clock import db_now, frozen_at
from panjere_client.receipts import verify_receipt
from tenders.models import Tender
from tests.bidding.factories import NOW, bidder, published, seal, upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUPPLIERS = 24


def test_no_bid_is_accepted_after_the_deadline_and_none_acknowledged_is_lost(
    tender_keys, envelope_folder
):
    # given a published tender and two dozen eligible suppliers with sealed envelopes
    with frozen_at(NOW):
        tender, lot, _team = published()
    bidders = [bidder() for _ in range(SUPPLIERS)]
    sealed = {s.pk: seal(tender_keys, tender, lot, s, plaintext=b"x" * 300_000) for s, _ in bidders}
    # and a deadline 1.5 seconds from now on the database's clock (a test's shortcut)
    deadline = db_now() + datetime.timedelta(seconds=1.5)
    Tender.objects.filter(pk=tender.pk).update(submission_deadline=deadline)
    tender.refresh_from_db()
    start = threading.Barrier(SUPPLIERS)
    acknowledged, refused, errors = {}, [], []
    lock = threading.Lock()

    def run(index, supplier, admin):
        try:
            start.wait(timeout=60)
            # spread the arrivals over the second around the deadline
            time.sleep(max(0.0, (deadline - db_now()).total_seconds() - 0.6 + index * 0.05))
            try:
                submission = services.bid_submit(
                    actor=admin,
                    tender=tender,
                    lot=lot,
                    supplier=supplier,
                    envelopes={"single": upload(sealed[supplier.pk])},
                    idempotency_key=f"rush-{supplier.pk}",
                )
            except DeadlinePassed:
                with lock:
                    refused.append(supplier.pk)
            else:
                with lock:
                    acknowledged[supplier.pk] = dict(submission.bid.receipt.document)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, supplier, admin))
        for index, (supplier, admin) in enumerate(bidders)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)

    # then every submission was either acknowledged or refused as late, and both happened
    assert errors == []
    assert len(acknowledged) + len(refused) == SUPPLIERS
    assert acknowledged and refused
    # none accepted at or after the deadline, by the database time of its transaction
    bids = list(Bid.objects.filter(tender=tender))
    assert all(bid.submitted_at < deadline for bid in bids)
    events = {int(e.object_id): e for e in Event.objects.filter(action="bid.submitted")}
    assert all(events[bid.pk].recorded_at == bid.submitted_at for bid in bids)
    # every acknowledged bid is stored, with the envelope the receipt lists; nothing else is
    assert sorted(bid.supplier_id for bid in bids) == sorted(acknowledged)
    keys = key_set()
    for supplier_id, document in acknowledged.items():
        receipt = verify_receipt(document, keys)
        assert receipt.received_at < deadline.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        row = Envelope.objects.get(bid_id=int(receipt.bid))
        data = (envelope_folder / row.file.name).read_bytes()
        assert data == sealed[supplier_id]
        receipt.check_envelope(
            kind="single", sha256=hashlib.sha256(data).hexdigest(), size=len(data)
        )
    stored = sorted(
        p.relative_to(envelope_folder).as_posix() for p in envelope_folder.rglob("*.pje")
    )
    assert stored == sorted(Envelope.objects.values_list("file", flat=True))
