"""The notice's restricted-tender block: how many suppliers are invited, never who."""

from django import template

from suppliers.selectors import suppliers_for_user
from tenders import selectors
from tenders.models import ProcurementMethod

register = template.Library()


@register.inclusion_tag("tenders/invitations/_notice_block.html", takes_context=True)
def restricted_notice(context, tender):
    """Say that `tender` is restricted, how many are invited, and if the reader's company is."""
    if tender.procurement_method != ProcurementMethod.RESTRICTED:
        return {"restricted": False}
    request = context.get("request")
    user = getattr(request, "user", None)
    is_invited = bool(selectors.invited_tender_ids(user=user, tender_ids=[tender.pk]))
    return {
        "restricted": True,
        "tender": tender,
        # Read with the tender's row (selectors.public_tender).
        "invited_count": tender.invited_count,
        "is_invited": is_invited,
        "is_supplier_member": not is_invited
        and getattr(user, "is_authenticated", False)
        and suppliers_for_user(user).exists(),
    }
