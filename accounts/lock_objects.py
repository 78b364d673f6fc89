"""Row locks of the accounts app: every `SELECT … FOR UPDATE` of its tables (and of
django-otp's devices, which belong to its users) is here.

A service locks a user before the user's own rows (devices, tokens,
memberships); several rows of one table are locked in primary-key order.
"""

from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    ApiToken,
    Membership,
    MembershipInvitation,
    Organisation,
    TwoFactorEnrolment,
    User,
)


def user_for_update(user_or_pk, *, active_only: bool = False) -> User | None:
    """The user's row, locked, or None if there is none (or it is inactive, with `active_only`)."""
    queryset = User.objects.select_for_update().filter(pk=getattr(user_or_pk, "pk", user_or_pk))
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.first()


def user_by_email_for_update(email: str) -> User | None:
    """The user with this address (whatever its case), locked, or None."""
    return User.objects.select_for_update().filter(email__iexact=email).first()


def totp_device_for_update(device) -> TOTPDevice:
    return TOTPDevice.objects.select_for_update().get(pk=device.pk)


def recovery_codes_device_for_update(user) -> StaticDevice | None:
    """The user's confirmed recovery-code device, locked, or None."""
    return (
        StaticDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )


def api_token_for_update(token) -> ApiToken:
    return ApiToken.objects.select_for_update().get(pk=token.pk)


def organisation_for_update(organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def membership_for_update(membership) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership.pk)


def role_membership_for_update(*, user, organisation_id, role: str) -> Membership | None:
    """The user's membership with this role in the organisation (active or not), locked, or None."""
    return (
        Membership.objects.select_for_update()
        .filter(user=user, organisation_id=organisation_id, role=role)
        .first()
    )


def enrolment_for_update(pk, *, user) -> TwoFactorEnrolment | None:
    """The user's authenticator enrolment with this number, locked, or None."""
    return TwoFactorEnrolment.objects.select_for_update().filter(pk=pk, user=user).first()


def invitation_for_update(invitation) -> MembershipInvitation:
    return MembershipInvitation.objects.select_for_update().get(pk=invitation.pk)
