"""Reads of bids for pages, the API and other apps."""

from django.db.models import QuerySet

from suppliers.selectors import suppliers_for_user

from .exceptions import BidNotFound
from .models import Bid, BidState


def bids_of_user(*, user, tender=None) -> QuerySet[Bid]:
    """Every version of the bids of the user's companies, newest first."""
    queryset = Bid.objects.filter(supplier__in=suppliers_for_user(user).values("pk"))
    if tender is not None:
        queryset = queryset.filter(tender=tender)
    return (
        queryset.select_related("tender", "lot", "supplier", "receipt")
        .prefetch_related("envelopes")
        .order_by("-submitted_at", "-pk")
    )


def bid_of_user(*, user, pk) -> Bid:
    """One bid of the user's companies, or BidNotFound (another company's bid is not found)."""
    bid = bids_of_user(user=user).filter(pk=pk).first()
    if bid is None:
        raise BidNotFound()
    return bid


def current_bid(*, lot, supplier) -> Bid | None:
    return Bid.objects.filter(lot=lot, supplier=supplier, state=BidState.SUBMITTED).first()


def next_version(*, lot, supplier) -> int:
    """The version the supplier's next submission for the lot must be sealed for."""
    versions = Bid.objects.filter(lot=lot, supplier=supplier).values_list("version", flat=True)
    return max(versions, default=0) + 1
