"""Row locks of the bidding app: every `SELECT … FOR UPDATE` of its tables is here.

A submission locks the audit chain head first (audit.services.hold_chain),
then the tender, then the supplier's current bid of the lot.
"""

from .models import Bid, BidState


def current_bids_for_update(*, lot, supplier) -> list[Bid]:
    """The supplier's current bid for the lot (at most one), locked; older versions are not."""
    return list(
        Bid.objects.select_for_update()
        .filter(lot=lot, supplier=supplier, state=BidState.SUBMITTED)
        .order_by("pk")
    )


def bid_for_update(pk) -> Bid | None:
    return Bid.objects.select_for_update().filter(pk=pk).first()


def bids_to_confirm_for_update(*, tender_id, amendment) -> list[Bid]:
    """The tender's current bids submitted before `amendment` and not yet asked about it,
    locked in pk order, with what the notification names."""
    return list(
        Bid.objects.select_for_update()
        .select_related("tender", "lot", "supplier__organisation")
        .filter(
            tender_id=tender_id,
            state=BidState.SUBMITTED,
            submitted_at__lt=amendment.created_at,
        )
        .exclude(confirmation_requested_by=amendment)
        .order_by("pk")
    )
