"""Who may do what to a tender. Views declare these; services check them again.

Buyer-side permissions are scoped to the tender's buyer: an officer of one
procuring entity cannot touch another's tenders (accounts.permissions.has_perm
with the tender, whose `organisation_id` is its buyer's).
"""

from django_fsm import can_proceed

from accounts.models import Membership, Role
from accounts.permissions import Perm, active_roles, has_perm

from .models import ProcurementMethod, TenderState
from .selectors import is_committee_member

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


def can_edit_draft(user, tender) -> bool:
    """Change a tender's content (fields, lots, items, documents): its officers, while a draft."""
    return can_prepare(user, tender) and tender.state == TenderState.DRAFT


def can_edit_invitations(user, tender) -> bool:
    """Invite or remove suppliers: the officers of a restricted tender, while a draft."""
    return tender.procurement_method == ProcurementMethod.RESTRICTED and can_edit_draft(
        user, tender
    )


def detail_actions(user, tender) -> dict[str, bool]:
    """What `user` may do now on the buyer's detail page of `tender`, action by action.

    The permission and, for the workflow, whether the state machine allows the
    transition (`can_proceed`). Amending and answering are not transitions:
    they need the tender open for bids.
    """
    prepare = can_prepare(user, tender)
    approve = can_approve(user, tender) and is_second_pair_of_eyes(user, tender)
    cancel = can_cancel(user, tender)
    is_open = can_proceed(tender.close)
    return {
        "submit": prepare and can_proceed(tender.submit_for_approval),
        "approve": approve and can_proceed(tender.approve_and_publish),
        "return": approve and can_proceed(tender.return_to_draft),
        "cancel": cancel and can_proceed(tender.cancel),
        "unsuccessful": cancel and can_proceed(tender.declare_unsuccessful),
        "amend": prepare and is_open,
        "answer": prepare and is_open,
        "edit": can_edit_draft(user, tender),
    }


def can_hold_opening_key(user) -> bool:
    """Register an opening key: someone holding the committee member role in an organisation."""
    return _is_user(user) and Role.COMMITTEE_MEMBER in active_roles(user)


def can_read_key_shares(user, tender) -> bool:
    """Fetch one's own sealed shares of a tender's keys: its opening committee members."""
    return _is_user(user) and is_committee_member(user, tender)


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
