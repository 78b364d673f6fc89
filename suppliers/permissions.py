"""Who may do what to a supplier. Views declare these; services check them again."""

from accounts.models import Membership, Role
from accounts.permissions import active_roles

# Officers who review registrations; the oversight body's administrators too.
VERIFIER_ROLES = {Role.PROCUREMENT_OFFICER, Role.PLATFORM_ADMIN}
# Debarment is an oversight decision.
DEBARMENT_ROLES = {Role.PLATFORM_ADMIN}
OBSERVER_ROLES = {Role.AUDITOR}


def supplier_roles(user, supplier) -> set[str]:
    """The roles `user` holds in `supplier`'s own organisation."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user, organisation_id=supplier.organisation_id, is_active=True
        ).values_list("role", flat=True)
    )


def can_edit(user, supplier) -> bool:
    return Role.SUPPLIER_ADMIN in supplier_roles(user, supplier)


def is_member(user, supplier) -> bool:
    return bool(supplier_roles(user, supplier))


def can_review(user) -> bool:
    return bool(active_roles(user) & VERIFIER_ROLES)


def can_debar(user) -> bool:
    return bool(active_roles(user) & DEBARMENT_ROLES)


def can_view(user, supplier) -> bool:
    """Members, verifying officers and auditors see a registration and its documents."""
    return is_member(user, supplier) or bool(
        active_roles(user) & (VERIFIER_ROLES | OBSERVER_ROLES | DEBARMENT_ROLES)
    )


def capacity(user, roles, *, organisation_id=None) -> dict:
    """The organisation and role in which `user` acts with one of `roles`, for the audit event.

    Returns {"organisation": …, "role": …} (empty values for the platform itself).
    """
    if user is None:
        return {"organisation": None, "role": ""}
    memberships = Membership.objects.filter(
        user=user, role__in=roles, is_active=True
    ).select_related("organisation")
    if organisation_id is not None:
        memberships = memberships.filter(organisation_id=organisation_id)
    membership = memberships.order_by("pk").first()
    if membership is None:
        return {"organisation": None, "role": ""}
    return {"organisation": membership.organisation, "role": membership.role}
