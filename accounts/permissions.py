"""The one module that answers “may this actor do this to this object?”.

Permissions are named (`Perm`); each role grants a set of them
(`ROLE_PERMISSIONS`). Roles held in a procuring entity or a supplier apply to
that organisation's objects only; oversight roles (auditor, platform
administrator) apply platform-wide. Views declare the permission they need
(`permission_required`, `PermissionRequiredMixin`, `HasPerm`); services check
it again against their `actor` (`require_perm`).
"""

from enum import StrEnum
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from core.exceptions import PermissionDenied

from .models import TWO_FACTOR_ROLES, Membership, Organisation, Role


class Perm(StrEnum):
    # Accounts
    MANAGE_OWN_API_TOKENS = "accounts.manage_own_api_tokens"
    MANAGE_USERS = "accounts.manage_users"
    MANAGE_ORGANISATIONS = "accounts.manage_organisations"
    # Audit trail
    VIEW_AUDIT = "audit.view"
    # Suppliers
    MANAGE_SUPPLIER = "suppliers.manage"
    VERIFY_SUPPLIERS = "suppliers.verify"
    DEBAR_SUPPLIERS = "suppliers.debar"
    # Tenders, bids, evaluation, contracts
    DRAFT_TENDER = "tenders.draft"
    APPROVE_TENDER = "tenders.approve"
    SUBMIT_BID = "bidding.submit"
    OPEN_BIDS = "bidding.open"
    EVALUATE_BIDS = "evaluation.score"
    MANAGE_CONTRACTS = "contracts.manage"


# Permissions every user with a verified address holds over their own objects
# (objects whose `user_id` is theirs), whatever their roles.
OWN_OBJECT_PERMISSIONS = frozenset({Perm.MANAGE_OWN_API_TOKENS})

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SUPPLIER_ADMIN: frozenset({Perm.MANAGE_SUPPLIER, Perm.SUBMIT_BID}),
    Role.BIDDER: frozenset({Perm.SUBMIT_BID}),
    Role.PROCUREMENT_OFFICER: frozenset({Perm.DRAFT_TENDER, Perm.VERIFY_SUPPLIERS}),
    Role.COMMITTEE_MEMBER: frozenset({Perm.OPEN_BIDS}),
    Role.EVALUATOR: frozenset({Perm.EVALUATE_BIDS}),
    Role.APPROVER: frozenset({Perm.APPROVE_TENDER}),
    Role.CONTRACT_MANAGER: frozenset({Perm.MANAGE_CONTRACTS}),
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
    Role.PLATFORM_ADMIN: frozenset(
        {
            Perm.MANAGE_USERS,
            Perm.MANAGE_ORGANISATIONS,
            Perm.VIEW_AUDIT,
            Perm.VERIFY_SUPPLIERS,
            Perm.DEBAR_SUPPLIERS,
        }
    ),
}
# Roles whose permissions reach every organisation's objects, not only their own's.
PLATFORM_WIDE_ROLES = frozenset({Role.AUDITOR, Role.PLATFORM_ADMIN})


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
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_panjere_roles", None)
    if cached is None:
        cached = {role for _organisation_id, role in _memberships(user)}
        user._panjere_roles = cached
    return cached


def requires_two_factor(user) -> bool:
    """Buyer-side, oversight and auditor roles, staff and superusers must use 2FA."""
    return user.is_superuser or user.is_staff or bool(active_roles(user) & TWO_FACTOR_ROLES)


def organisation_id_of(obj) -> int | None:
    """The organisation an object belongs to, for organisation-scoped roles."""
    if isinstance(obj, Organisation):
        return obj.pk
    return getattr(obj, "organisation_id", None)


def has_perm(user, perm: Perm | str, obj=None) -> bool:
    """Whether `user` may exercise `perm`, on `obj` when one is given.

    Nobody holds a permission before their email address is verified.
    """
    perm = Perm(perm)
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not user.email_verified:
        return False
    if perm in OWN_OBJECT_PERMISSIONS:
        return obj is None or getattr(obj, "user_id", None) == user.pk
    if user.is_superuser and perm in ROLE_PERMISSIONS[Role.PLATFORM_ADMIN]:
        return True
    target = None if obj is None else organisation_id_of(obj)
    for organisation_id, role in _memberships(user):
        if perm not in ROLE_PERMISSIONS.get(role, ()):
            continue
        if obj is None or role in PLATFORM_WIDE_ROLES or organisation_id == target:
            return True
    return False


def require_perm(user, perm: Perm | str, obj=None) -> None:
    """Raise `core.exceptions.PermissionDenied` unless `user` holds `perm`."""
    if not has_perm(user, perm, obj):
        raise PermissionDenied(params={"permission": str(Perm(perm))})


# --- Declaring a view's permission ------------------------------------------------


def permission_required(perm: Perm):
    """Decorate a function view: anonymous users log in, others without `perm` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise DjangoPermissionDenied(_("You are not allowed to do this."))
            return view(request, *args, **kwargs)

        wrapped.required_perm = perm
        return wrapped

    return decorator


class PermissionRequiredMixin:
    """Declare `required_perm` on a class-based view; checked before dispatch."""

    required_perm: Perm | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if self.required_perm is None or not has_perm(request.user, self.required_perm):
            raise DjangoPermissionDenied(_("You are not allowed to do this."))
        return super().dispatch(request, *args, **kwargs)


class HasPerm(BasePermission):
    """DRF: the view's `required_perm`, on the object too when there is one.

    Use as `permission_classes = [HasPerm]` with `required_perm = Perm.X` on the
    view, or `HasPerm.of(Perm.X)` for a one-off.
    """

    message = _("You are not allowed to do this.")
    perm: Perm | None = None

    @classmethod
    def of(cls, perm: Perm) -> type["HasPerm"]:
        return type(f"HasPerm_{perm.name}", (cls,), {"perm": perm})

    def _perm(self, view) -> Perm | None:
        return self.perm or getattr(view, "required_perm", None)

    def has_permission(self, request, view):
        perm = self._perm(view)
        return perm is not None and has_perm(request.user, perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is not None and has_perm(request.user, perm, obj)
