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
