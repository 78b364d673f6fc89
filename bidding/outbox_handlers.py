"""What runs after the commit for the outbox topics bidding handles (settings.OUTBOX_HANDLERS)."""

from .services import bids_request_confirmation


def bids_after_amendment(message) -> None:
    """`tenders.amended`: a material amendment asks each bidder to confirm or resubmit."""
    bids_request_confirmation(
        tender_id=message.payload["tender_id"], amendment_id=message.payload["amendment_id"]
    )
