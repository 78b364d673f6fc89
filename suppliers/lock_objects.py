"""Row locks of the suppliers app: every `SELECT … FOR UPDATE` of its tables is here.

A service locks the supplier first, then its documents; several rows of one
table are locked in primary-key order.
"""

from .models import Supplier, SupplierDocument


def supplier_for_update(supplier_or_pk) -> Supplier:
    """The supplier's row, locked (a Supplier or its primary key)."""
    return Supplier.objects.select_for_update().get(
        pk=getattr(supplier_or_pk, "pk", supplier_or_pk)
    )


def current_document_for_update(*, supplier, kind: str) -> SupplierDocument | None:
    """The supplier's current document of this kind, locked, or None."""
    return (
        SupplierDocument.objects.select_for_update()
        .filter(supplier=supplier, kind=kind, is_current=True)
        .order_by("pk")
        .first()
    )


def document_for_update(document_id) -> SupplierDocument:
    """The document, locked, with its supplier and organisation (read, not locked)."""
    return (
        SupplierDocument.objects.select_for_update()
        .select_related("supplier__organisation")
        .get(pk=document_id)
    )
