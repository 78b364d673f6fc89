"""What the header offers a user about suppliers."""

from django import template

from accounts.models import ROLES_BY_KIND, OrganisationKind
from accounts.permissions import Perm, active_roles, has_perm

register = template.Library()


@register.simple_tag
def may_review_suppliers(user) -> bool:
    return has_perm(user, Perm.VERIFY_SUPPLIERS)


@register.simple_tag
def offers_my_companies(user) -> bool:
    """Supplier members, and people who hold no role yet (they may register a company)."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = active_roles(user)
    return not roles or bool(roles & ROLES_BY_KIND[OrganisationKind.SUPPLIER])
