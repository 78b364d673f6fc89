"""Row locks of the bidding app: every `SELECT … FOR UPDATE` of its tables is here.

A submission locks the audit chain head first (audit.services.hold_chain),
then the tender, then the supplier's bids of the lot in pk order.
"""

from .models import Bid


def bids_for_update(*, lot, supplier) -> list[Bid]:
    """The supplier's bids for the lot, every version, locked in pk order."""
    return list(Bid.objects.select_for_update().filter(lot=lot, supplier=supplier).order_by("pk"))


def bid_for_update(pk) -> Bid | None:
    return Bid.objects.select_for_update().filter(pk=pk).first()
