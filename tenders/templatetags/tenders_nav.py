"""What the header offers a user about tenders."""

from django import template

from accounts.models import ROLES_BY_KIND, OrganisationKind
from accounts.permissions import Perm, active_roles

from ..selectors import uses_supplier_pages

register = template.Library()


@register.simple_tag
def offers_buyer_tenders(user) -> bool:
    """Buyer-side officials see their organisation's tenders."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(active_roles(user) & ROLES_BY_KIND[OrganisationKind.PROCURING_ENTITY])


@register.simple_tag
def offers_supplier_pages(user) -> bool:
    """The supplier's own tender pages are offered to those who may use them."""
    if not getattr(user, "is_authenticated", False):
        return False
    return uses_supplier_pages(user)


@register.simple_tag
def offers_opening_key(user) -> bool:
    """Opening committee members keep their opening key on their own page."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_perm(
        str(Perm.HOLD_OPENING_KEY)
    )
