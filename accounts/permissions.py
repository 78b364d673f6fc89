"""Panjere's one permission system: named permissions checked against an object.

A permission is a name (`Perm`). Each name has one rule, registered with
django-rules (`rules.add_perm`) by the app that owns the objects it is about:
`accounts/rules.py` for the role-based names and the building blocks,
`suppliers/rules.py` and `tenders/rules.py` for the per-object rules of theirs
(“committee member of this tender”, “the designated approver who did not draft
it”). A system check (`accounts.checks`) fails start-up if a name has no rule.

Everybody asks the same question, `user.has_perm(name, obj)`:

- pages declare it (`permission_required`, `PermissionRequiredMixin`) or ask it;
- API views declare it (`HasPerm`, a DRF permission class over it);
- services check it again against their `actor` (`require_perm`), which raises
  `core.exceptions.PermissionDenied` (code `permission_denied`).

What a role grants is the table `ROLE_PERMISSIONS`. Roles held in a procuring
entity or a supplier reach that organisation's objects only; the oversight
roles (`PLATFORM_WIDE_ROLES`) reach every organisation's. Nobody holds any
permission before their e-mail address is verified, while their account is
inactive, or through an inactive membership or organisation.
"""

from enum import StrEnum

# Asking and declaring: generic over the names, in core so every floor asks the same way.
from core.permissions import (  # noqa: F401  (re-exported)
    HasPerm,
    PermissionRequiredMixin,
    has_perm,
    permission_required,
    require_perm,
)

from .models import TWO_FACTOR_ROLES, Membership, Role


class Perm(StrEnum):
    # Accounts
    MANAGE_OWN_API_TOKENS = "accounts.manage_own_api_tokens"
    MANAGE_USERS = "accounts.manage_users"
    MANAGE_ORGANISATIONS = "accounts.manage_organisations"
    INVITE_MEMBERS = "accounts.invite_members"
    ANSWER_INVITATION = "accounts.answer_invitation"
    REGISTER_COMPANY = "accounts.register_company"
    RENAME_ORGANISATION = "accounts.rename_organisation"
    # Audit trail
    VIEW_AUDIT = "audit.view"
    # Suppliers
    VIEW_SUPPLIER = "suppliers.view"
    MANAGE_SUPPLIER = "suppliers.manage"
    VERIFY_SUPPLIERS = "suppliers.verify"
    DEBAR_SUPPLIERS = "suppliers.debar"
    # Tenders
    DRAFT_TENDER = "tenders.draft"
    EDIT_DRAFT_TENDER = "tenders.edit_draft"
    EDIT_INVITATIONS = "tenders.edit_invitations"
    ANSWER_CLARIFICATIONS = "tenders.answer_clarifications"
    AMEND_TENDER = "tenders.amend"
    APPROVE_TENDER = "tenders.approve"
    DECIDE_APPROVAL = "tenders.decide_approval"
    CANCEL_TENDER = "tenders.cancel"
    VIEW_UNPUBLISHED_TENDER = "tenders.view_unpublished"
    RECORD_OUTAGE = "tenders.record_outage"
    ASK_CLARIFICATION = "tenders.ask_clarification"
    FOLLOW_TENDERS = "tenders.follow"
    SIT_ON_COMMITTEE = "tenders.sit_on_committee"
    HOLD_OPENING_KEY = "tenders.hold_opening_key"
    READ_KEY_SHARES = "tenders.read_key_shares"
    # Bids, evaluation, contracts
    SUBMIT_BID = "bidding.submit"
    BID_ON_TENDER = "bidding.bid_on_tender"
    OPEN_BIDS = "bidding.open"
    EVALUATE_BIDS = "evaluation.score"
    MANAGE_CONTRACTS = "contracts.manage"


# What each role grants. The rules (accounts/rules.py) read this table; names
# with a per-object rule add their condition on top of it.
ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SUPPLIER_ADMIN: frozenset(
        {
            Perm.VIEW_SUPPLIER,
            Perm.MANAGE_SUPPLIER,
            Perm.INVITE_MEMBERS,
            Perm.RENAME_ORGANISATION,
            Perm.SUBMIT_BID,
        }
    ),
    Role.BIDDER: frozenset({Perm.VIEW_SUPPLIER, Perm.SUBMIT_BID}),
    Role.PROCUREMENT_OFFICER: frozenset({Perm.DRAFT_TENDER}),
    Role.COMMITTEE_MEMBER: frozenset({Perm.OPEN_BIDS, Perm.HOLD_OPENING_KEY}),
    Role.EVALUATOR: frozenset({Perm.EVALUATE_BIDS}),
    Role.APPROVER: frozenset({Perm.APPROVE_TENDER}),
    Role.CONTRACT_MANAGER: frozenset({Perm.MANAGE_CONTRACTS}),
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT, Perm.VIEW_SUPPLIER}),
    Role.VERIFIER: frozenset({Perm.VERIFY_SUPPLIERS, Perm.VIEW_SUPPLIER}),
    Role.PLATFORM_ADMIN: frozenset(
        {
            Perm.MANAGE_USERS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.INVITE_MEMBERS,
            Perm.RENAME_ORGANISATION,
            Perm.VIEW_AUDIT,
            Perm.VIEW_SUPPLIER,
            Perm.VERIFY_SUPPLIERS,
            Perm.DEBAR_SUPPLIERS,
            Perm.RECORD_OUTAGE,
        }
    ),
}
# Roles whose permissions reach every organisation's objects, not only their own's.
PLATFORM_WIDE_ROLES = frozenset({Role.AUDITOR, Role.VERIFIER, Role.PLATFORM_ADMIN})


def _memberships(user) -> list[tuple[int, str]]:
    """(organisation id, role) of each active membership in an active organisation."""
    cached = getattr(user, "_panjere_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(
                user=user, is_active=True, organisation__is_active=True
            ).values_list("organisation_id", "role")
        )
        user._panjere_memberships = cached
    return cached


def forget_roles(user) -> None:
    """Drop the roles cached on `user` (after a membership changed)."""
    for attribute in ("_panjere_roles", "_panjere_memberships"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def active_roles(user) -> set[str]:
    """The roles `user` holds through active memberships of active organisations."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_panjere_roles", None)
    if cached is None:
        cached = {role for _organisation_id, role in _memberships(user)}
        user._panjere_roles = cached
    return cached


def requires_two_factor(user) -> bool:
    """Buyer-side, oversight and auditor roles, staff and superusers must use 2FA."""
    return user.is_superuser or user.is_staff or bool(active_roles(user) & TWO_FACTOR_ROLES)


def roles_granting(perm: Perm) -> frozenset[str]:
    """The roles whose holders `perm` is granted to (who to notify, who acted in which capacity)."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)
