"""Row locks of the tenders app: every `SELECT … FOR UPDATE` of its tables is here.

A service locks the tender first, then the tender's own rows; several rows of
one table are locked in ascending primary-key order, so that two transactions
locking overlapping sets wait for each other instead of deadlocking.
"""

from core.lock_objects import skip_locked

from .models import (
    Clarification,
    Invitation,
    Item,
    Lot,
    MemberKey,
    Tender,
    TenderDocument,
    TenderState,
)


def tender_for_update(tender_or_pk) -> Tender:
    """The tender's row, locked (a Tender or its primary key)."""
    pk = getattr(tender_or_pk, "pk", tender_or_pk)
    return Tender.objects.select_for_update().get(pk=pk)


def due_tender_for_update(pk, *, now) -> Tender | None:
    """The tender if it is still published and due to close at `now`, locked; else None.

    A row another transaction holds is skipped (None): another sweep is closing
    it, or an amendment is changing it.
    """
    return skip_locked(
        Tender.objects.filter(pk=pk, state=TenderState.PUBLISHED, submission_deadline__lte=now)
    ).first()


def tenders_for_update(queryset) -> list[Tender]:
    """The tenders of `queryset`, locked in pk order."""
    return list(queryset.select_for_update().order_by("pk"))


def lot_for_update(lot) -> Lot:
    return Lot.objects.select_for_update().get(pk=lot.pk)


def item_for_update(item) -> Item:
    """The item, locked, with its lot (not locked: its tender is)."""
    return Item.objects.select_for_update().select_related("lot").get(pk=item.pk)


def clarification_for_update(clarification) -> Clarification:
    return Clarification.objects.select_for_update().get(pk=clarification.pk)


def tender_documents_for_update(*, tender, titles) -> list[TenderDocument]:
    """Every version of the tender's documents with these titles, locked in pk order.

    Versions of one title are created in order, so pk order is version order too.
    """
    return list(
        TenderDocument.objects.select_for_update()
        .filter(tender=tender, title__in=list(titles))
        .order_by("pk")
    )


def invitation_for_update(*, tender, supplier_id) -> Invitation | None:
    """The tender's invitation of the supplier, locked with its supplier, or None."""
    return (
        Invitation.objects.select_for_update()
        .select_related("supplier")
        .filter(tender=tender, supplier_id=supplier_id)
        .first()
    )


def current_member_keys_for_update(user_ids) -> list[MemberKey]:
    """The current opening keys of these members, locked in pk order (publication's shares)."""
    return list(
        MemberKey.objects.select_for_update()
        .filter(user_id__in=list(user_ids), retired_at__isnull=True)
        .order_by("pk")
    )


def current_member_key_for_update(user) -> MemberKey | None:
    """The member's current opening key, locked (a rotation waits for a publication using it)."""
    return MemberKey.objects.select_for_update().filter(user=user, retired_at__isnull=True).first()
