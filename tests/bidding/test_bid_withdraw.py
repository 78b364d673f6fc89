"""Withdrawing a bid until the deadline; confirming it after a material amendment."""

import datetime

import pytest

from audit.models import Event
from bidding import services
from bidding.exceptions import BidInvalidTransition, BidNotAllowed, DeadlinePassed
from bidding.models import Bid
from core.clock import frozen_at
from core.models import OutboxMessage
from notifications.models import Notification
from tenders import services as tender_services
from tests.bidding.factories import NOW, SUBMISSION_DEADLINE, bidder, published, seal, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]

SECOND = datetime.timedelta(seconds=1)


def submitted(keys, *, key="k", version=1, tender=None, lot=None, supplier=None, admin=None):
    if tender is None:
        tender, lot, _team = published()
    if supplier is None:
        supplier, admin = bidder()
    return services.bid_submit(
        actor=admin,
        tender=tender,
        lot=lot,
        supplier=supplier,
        envelopes={"single": upload(seal(keys, tender, lot, supplier, version=version))},
        idempotency_key=key,
    ).bid, admin


def test_a_bid_is_withdrawn_before_the_deadline(tender_keys):
    bid, admin = submitted(tender_keys)
    with frozen_at(SUBMISSION_DEADLINE - SECOND):
        services.bid_withdraw(actor=admin, bid=bid, reason="Priced wrongly")
    bid.refresh_from_db()
    assert (bid.state, bid.withdrawn_at) == ("withdrawn", SUBMISSION_DEADLINE - SECOND)
    event = Event.objects.get(action="bid.withdrawn")
    assert (event.object_id, event.reason, event.payload) == (
        str(bid.pk),
        "Priced wrongly",
        {"from": "submitted", "to": "withdrawn"},
    )
    assert bid.envelopes.count() == 1  # kept sealed: never opened


def test_after_a_withdrawal_the_supplier_may_bid_again_with_the_next_version(tender_keys):
    bid, admin = submitted(tender_keys)
    services.bid_withdraw(actor=admin, bid=bid)
    again, _admin = submitted(
        tender_keys,
        key="k2",
        version=2,
        tender=bid.tender,
        lot=bid.lot,
        supplier=bid.supplier,
        admin=admin,
    )
    assert (again.version, again.state) == (2, "submitted")


def test_no_withdrawal_at_or_after_the_deadline(tender_keys, nothing_written):
    bid, admin = submitted(tender_keys)
    with nothing_written(), frozen_at(SUBMISSION_DEADLINE), pytest.raises(DeadlinePassed):
        services.bid_withdraw(actor=admin, bid=bid)
    assert Bid.objects.get(pk=bid.pk).state == "submitted"


def test_a_superseded_bid_cannot_be_withdrawn(tender_keys, nothing_written):
    bid, admin = submitted(tender_keys)
    submitted(
        tender_keys,
        key="k2",
        version=2,
        tender=bid.tender,
        lot=bid.lot,
        supplier=bid.supplier,
        admin=admin,
    )
    with nothing_written(), pytest.raises(BidInvalidTransition) as refused:
        services.bid_withdraw(actor=admin, bid=Bid.objects.get(pk=bid.pk))
    assert refused.value.params == {"from": "superseded", "transition": "withdraw"}


def test_only_the_supplier_may_withdraw_its_bid(tender_keys, nothing_written):
    bid, _admin = submitted(tender_keys)
    _other, stranger = bidder()
    with nothing_written(), pytest.raises(BidNotAllowed):
        services.bid_withdraw(actor=stranger, bid=bid)


def test_a_material_amendment_asks_bidders_to_confirm_or_resubmit(
    tender_keys, django_capture_on_commit_callbacks
):
    # given a submitted bid
    tender, lot, team = published()
    bid, admin = submitted(tender_keys, tender=tender, lot=lot)
    # when the buyer publishes a material amendment an hour later
    with (
        frozen_at(NOW + datetime.timedelta(hours=1)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        amendment = tender_services.tender_amend(
            actor=team.officer, tender=tender, summary="New bill of quantities", material=True
        )
    # then the outbox carried it to bidding, which marked the bid and told the submitter
    message = OutboxMessage.objects.get(topic="tenders.amended")
    assert message.payload == {"tender_id": tender.pk, "amendment_id": amendment.pk}
    assert message.status == "processed"
    bid.refresh_from_db()
    assert (bid.state, bid.confirmation_requested_by) == ("submitted", amendment)
    event = Event.objects.get(action="bid.confirmation_requested")
    assert event.payload == {"amendment_id": amendment.pk, "amendment_number": 1}
    notification = Notification.objects.get(recipient=admin, kind="bid.confirmation_requested")
    assert notification.title == (
        f"Tender {tender.reference} was amended: confirm or resubmit your bid"
    )
    # and the supplier confirms the bid as it is
    with frozen_at(NOW + datetime.timedelta(hours=2)):
        services.bid_confirm(actor=admin, bid=bid)
    bid.refresh_from_db()
    assert (bid.confirmation_requested_by, bid.confirmed_at) == (
        None,
        NOW + datetime.timedelta(hours=2),
    )
    assert Event.objects.get(action="bid.confirmed").payload == {"amendment_id": amendment.pk}


def test_a_minor_amendment_leaves_bids_alone(tender_keys):
    tender, lot, team = published()
    bid, _admin = submitted(tender_keys, tender=tender, lot=lot)
    tender_services.tender_amend(actor=team.officer, tender=tender, summary="Typo", material=False)
    assert not OutboxMessage.objects.filter(topic="tenders.amended").exists()
    bid.refresh_from_db()
    assert bid.confirmation_requested_by is None


def test_a_bid_no_amendment_asks_about_cannot_be_confirmed(tender_keys, nothing_written):
    bid, admin = submitted(tender_keys)
    with nothing_written(), pytest.raises(BidInvalidTransition):
        services.bid_confirm(actor=admin, bid=bid)
