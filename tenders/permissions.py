"""Who may do what to a tender. Views declare these; services check them again.

Buyer-side permissions are scoped to the tender's buyer: an officer of one
procuring entity cannot touch another's tenders (accounts.permissions.has_perm
with the tender, whose `organisation_id` is its buyer's).
"""

from accounts.models import Membership, Role
from accounts.permissions import Perm, active_roles, has_perm

OUTAGE_ROLES = {Role.PLATFORM_ADMIN}


def _is_user(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.email_verified


def can_prepare(user, buyer_or_tender) -> bool:
    """Draft, edit, submit, amend and answer questions: the buyer's procurement officers."""
    return has_perm(user, Perm.DRAFT_TENDER, buyer_or_tender)


def can_approve(user, tender) -> bool:
    """Approve or return: the tender's designated approver, while an approver of its buyer."""
    return tender.approver_id == getattr(user, "pk", None) and has_perm(
        user, Perm.APPROVE_TENDER, tender
    )


def is_second_pair_of_eyes(user, tender) -> bool:
    """Four eyes: `user` neither prepared the tender nor submitted it for approval."""
    return getattr(user, "pk", None) not in {tender.created_by_id, tender.submitted_by_id}


def can_cancel(user, tender) -> bool:
    return can_prepare(user, tender) or has_perm(user, Perm.APPROVE_TENDER, tender)


def can_view_unpublished(user, tender) -> bool:
    """Drafts are the buyer's business: its officers and approvers, and auditors."""
    return can_cancel(user, tender) or has_perm(user, Perm.VIEW_AUDIT, tender)


def can_record_outage(user) -> bool:
    return _is_user(user) and (user.is_superuser or bool(active_roles(user) & OUTAGE_ROLES))


def can_ask(user, supplier) -> bool:
    """Ask a question: someone who may bid for a verified supplier."""
    from suppliers.models import SupplierState

    return supplier.state == SupplierState.VERIFIED and has_perm(user, Perm.SUBMIT_BID, supplier)


def can_follow(user) -> bool:
    return _is_user(user)


def holds_role(user, organisation_id, role: str) -> bool:
    """Whether `user` actively holds `role` in the organisation (both active)."""
    return (
        user is not None
        and user.is_active
        and Membership.objects.filter(
            user=user,
            organisation_id=organisation_id,
            role=role,
            is_active=True,
            organisation__is_active=True,
        ).exists()
    )


def members_of(organisation_id, user_ids) -> set[int]:
    """Which of `user_ids` are active members (any role) of the organisation."""
    return set(
        Membership.objects.filter(
            organisation_id=organisation_id,
            user_id__in=list(user_ids),
            is_active=True,
            organisation__is_active=True,
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
