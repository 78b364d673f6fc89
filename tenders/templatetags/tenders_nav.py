"""What the header offers a user about tenders."""

from django import template

from accounts.models import ROLES_BY_KIND, OrganisationKind
from accounts.permissions import active_roles

register = template.Library()


@register.simple_tag
def offers_buyer_tenders(user) -> bool:
    """Buyer-side officials see their organisation's tenders."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(active_roles(user) & ROLES_BY_KIND[OrganisationKind.PROCURING_ENTITY])


@register.simple_tag
def offers_opening_key(user) -> bool:
    """Opening committee members keep their opening key on their own page."""
    from tenders.permissions import can_hold_opening_key

    return bool(getattr(user, "is_authenticated", False)) and can_hold_opening_key(user)
