"""Reads the accounts app offers to its views and to other apps."""

import datetime

from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.clock import db_now

from .models import ApiToken, Membership, Organisation, User

# The API token list's "expiring soon" horizon.
TOKEN_EXPIRY_WARNING_DAYS = 14


def organisation_by_pk(pk) -> Organisation | None:
    return Organisation.objects.filter(pk=pk).first()


def organisations_where(user, *, role: str, kind: str | None = None) -> list[Organisation]:
    """The active organisations (of `kind`, if given) in which `user` actively holds `role`."""
    memberships = Membership.objects.filter(
        user=user, role=role, is_active=True, organisation__is_active=True
    )
    if kind is not None:
        memberships = memberships.filter(organisation__kind=kind)
    return [m.organisation for m in memberships.select_related("organisation").order_by("pk")]


def user_holding_role(email: str, role: str) -> User | None:
    """The user with this address if they actively hold `role` somewhere, else None."""
    return User.objects.filter(
        email=email, memberships__role=role, memberships__is_active=True
    ).first()


def member_with_role(organisation_id, role: str) -> User | None:
    """One person (the earliest member) actively holding `role` in the organisation, or None."""
    membership = (
        Membership.objects.filter(organisation_id=organisation_id, role=role, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def organisation_ids_of(user) -> QuerySet:
    """The ids of the active organisations in which `user` actively holds any role (a subquery)."""
    return Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True
    ).values("organisation_id")


def active_member_ids(organisation_ids) -> list[int]:
    """The active people of these organisations (any role, both active), each once, by id."""
    return list(
        Membership.objects.filter(
            organisation_id__in=organisation_ids,
            is_active=True,
            organisation__is_active=True,
            user__is_active=True,
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def users_with_role(organisation, role: str) -> QuerySet[User]:
    """The active people actively holding `role` in the organisation, by name."""
    return (
        User.objects.filter(
            memberships__organisation=organisation,
            memberships__role=role,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("name", "pk")
    )


def users_by_pks(pks) -> dict[int, User]:
    """These users by id (an unknown id is simply absent)."""
    return {user.pk: user for user in User.objects.filter(pk__in=list(pks))}


def organisations_with(condition) -> QuerySet[Organisation]:
    """The organisations meeting `condition` (an expression such as an Exists()), by name.

    For another app's questions about organisations, such as which have a
    published tender, asked without reading the organisations' table itself.
    """
    return Organisation.objects.filter(condition).only("pk", "name").order_by("name", "pk")


def memberships_of(user) -> QuerySet[Membership]:
    """`user`'s active memberships in active organisations, with the organisation."""
    return (
        Membership.objects.filter(user=user, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """All of `user`'s API tokens, newest first (revoked and expired ones too)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_tokens_expiring_soon(user, *, days: int = TOKEN_EXPIRY_WARNING_DAYS) -> QuerySet[ApiToken]:
    now = db_now()
    return ApiToken.objects.filter(
        user=user,
        revoked_at__isnull=True,
        expires_at__gt=now,
        expires_at__lte=now + datetime.timedelta(days=days),
    ).order_by("expires_at")


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def acting_capacity(user, perm, obj=None) -> dict:
    """The organisation and role in which `user` exercises `perm` (on `obj`), for the audit event.

    {"organisation": …, "role": …}: the first active membership whose role
    grants `perm`, in `obj`'s organisation unless the role is platform-wide;
    empty values when none does (a superuser, the platform itself).
    """
    from .permissions import PLATFORM_WIDE_ROLES, roles_granting
    from .rules import organisation_id_of

    if user is None or not user.is_authenticated:
        return {"organisation": None, "role": ""}
    roles = roles_granting(perm)
    memberships = Membership.objects.filter(
        user=user, role__in=roles, is_active=True, organisation__is_active=True
    ).select_related("organisation")
    target = None if obj is None else organisation_id_of(obj)
    for membership in memberships.order_by("pk"):
        if target is None or membership.role in PLATFORM_WIDE_ROLES:
            return {"organisation": membership.organisation, "role": membership.role}
        if membership.organisation_id == target:
            return {"organisation": membership.organisation, "role": membership.role}
    return {"organisation": None, "role": ""}


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


def pending_invitations_to(organisation_id):
    """The invitations to the organisation that await an answer, newest first."""
    from .models import InvitationState, MembershipInvitation

    return (
        MembershipInvitation.objects.filter(
            organisation_id=organisation_id, state=InvitationState.PENDING
        )
        .select_related("user")
        .order_by("-created_at", "-pk")
    )


def invitations_of(user):
    """The invitations `user` has received that await their answer, newest first."""
    from .models import InvitationState, MembershipInvitation

    return (
        MembershipInvitation.objects.filter(user=user, state=InvitationState.PENDING)
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "-pk")
    )
