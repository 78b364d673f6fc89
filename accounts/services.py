"""Every write the accounts app offers: one function per use case, audited.

Secrets never reach the audit trail or the outbox: not a password, a TOTP
secret, a recovery code, an email link's token or an API token.
"""

import datetime
import re
import secrets

import django_otp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import record
from audit.transitions import run_transition
from core.clock import db_now
from core.exceptions import PermissionDenied, ValidationFailed
from core.outbox import enqueue

from .authentication import TOKEN_PREFIX, hash_token
from .exceptions import (
    ApiTokenAlreadyRevoked,
    ApiTokenLimitReached,
    ApiTokenNeedsSession,
    EmailAlreadyVerified,
    EmailNotVerified,
    EmailTaken,
    EnrolmentProofRequired,
    InvalidEnrolmentLink,
    InvalidOtpToken,
    InvalidTokenExpiry,
    InvalidVerificationLink,
    InvitationNotPending,
    InvitationPending,
    MembershipAlreadyRevoked,
    MembershipExists,
    OtpThrottled,
    PasswordRejected,
    RoleNotAllowed,
    TwoFactorAlreadyEnabled,
    TwoFactorNotEnabled,
    TwoFactorRequired,
    UnknownLanguage,
)
from .lock_objects import (
    api_token_for_update,
    enrolment_for_update,
    invitation_for_update,
    membership_for_update,
    organisation_for_update,
    recovery_codes_device_for_update,
    role_membership_for_update,
    totp_device_for_update,
    user_by_email_for_update,
    user_for_update,
)
from .models import (
    ROLES_BY_KIND,
    ApiToken,
    EnrolmentMethod,
    Membership,
    MembershipInvitation,
    Organisation,
    OrganisationKind,
    Role,
    TwoFactorEnrolment,
    User,
    normalise_email,
)
from .permissions import (
    Perm,
    active_roles,
    forget_roles,
    has_perm,
    require_perm,
    requires_two_factor,
)
from .tokens import email_verification_token, make_enrolment_token, read_enrolment_token

EMAIL_VERIFICATION_TOPIC = "accounts.send_email_verification"
PASSWORD_RESET_TOPIC = "accounts.send_password_reset"  # noqa: S105 - a topic name
TWO_FACTOR_ENROLMENT_TOPIC = "accounts.send_two_factor_enrolment"
RECOVERY_CODE_COUNT = 10
# A user may hold this many usable API tokens at once.
MAX_ACTIVE_API_TOKENS = 20
LOGIN_METHODS = ("password", "totp", "recovery")


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise PasswordRejected(" ".join(exc.messages), field="password") from exc


# --- Sign-up and email verification -------------------------------------------------


def user_sign_up(*, email: str, name: str, password: str, language: str = "") -> User:
    """Open an account; the address must be verified before any sensitive action."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Enter your name."), field="name")
    if language and language not in dict(settings.LANGUAGES):
        raise UnknownLanguage(params={"language": language})
    _check_password(password, User(email=email, name=name))
    with transaction.atomic(durable=True):
        if User.objects.filter(email__iexact=email).exists():
            raise EmailTaken(field="email")
        user = User.objects.create_user(
            email=email, name=name, password=password, language=language
        )
        record(action="user.signed_up", actor=user, obj=user)
        enqueue(topic=EMAIL_VERIFICATION_TOPIC, payload={"user_id": user.pk})
    return user


def user_request_email_verification(*, user) -> None:
    """Send the verification link again."""
    if user.email_verified:
        raise EmailAlreadyVerified()
    with transaction.atomic(durable=True):
        record(
            action="user.email_verification_requested",
            actor=user,
            obj=user,
        )
        enqueue(topic=EMAIL_VERIFICATION_TOPIC, payload={"user_id": user.pk})


def user_verify_email(*, uidb64: str, token: str) -> User:
    """Mark the address verified if the link's token is valid; it works once."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError):
        raise InvalidVerificationLink() from None
    with transaction.atomic(durable=True):
        user = user_for_update(pk, active_only=True)
        if user is None or not email_verification_token.check_token(user, token):
            raise InvalidVerificationLink()
        user.email_verified_at = db_now()
        user.save(update_fields=["email_verified_at"])
        record(action="user.email_verified", actor=user, obj=user)
    return user


# --- Signing in and out, passwords ---------------------------------------------------


def user_record_login(*, user, method: str) -> None:
    """Put a completed sign-in on the record: how, never with what."""
    if method not in LOGIN_METHODS:
        raise ValueError(f"Unknown login method {method!r}")
    with transaction.atomic(durable=True):
        record(action="user.logged_in", actor=user, obj=user, payload={"method": method})


def user_record_logout(*, user) -> None:
    with transaction.atomic(durable=True):
        record(action="user.logged_out", actor=user, obj=user)


def user_request_password_reset(*, email: str) -> None:
    """Send a reset link to the account with this address, if there is one.

    The answer is the same whether or not the account exists.
    """
    user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with transaction.atomic(durable=True):
        record(action="user.password_reset_requested", actor=None, obj=user)
        enqueue(topic=PASSWORD_RESET_TOPIC, payload={"user_id": user.pk})


def user_reset_password(*, user, password: str) -> User:
    """Set a new password through an emailed reset link."""
    _check_password(password, user)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save(update_fields=["password"])
        record(action="user.password_reset", actor=user, obj=user)
    return user


def user_change_password(*, user, password: str) -> User:
    """Set a new password for a signed-in user (who gave the old one)."""
    _check_password(password, user)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save(update_fields=["password"])
        record(action="user.password_changed", actor=user, obj=user)
    return user


# --- Profile ---------------------------------------------------------------------------


def user_update_profile(*, user, name: str) -> User:
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Enter your name."), field="name")
    if name == user.name:
        return user
    with transaction.atomic(durable=True):
        user.name = name
        user.save(update_fields=["name"])
        # Names are personal data: the trail says what changed, audit.Person holds the name.
        record(action="user.profile_updated", actor=user, obj=user, payload={"changed": ["name"]})
    return user


def user_set_language(*, user, language: str):
    """Remember `user`'s interface language, so every device shows it."""
    if language not in dict(settings.LANGUAGES):
        raise UnknownLanguage(params={"language": language})
    if user.language == language:
        return user
    with transaction.atomic(durable=True):
        previous = user.language
        user.language = language
        user.save(update_fields=["language"])
        record(
            action="user.language_changed",
            actor=user,
            obj=user,
            payload={"from": previous, "to": language},
        )
    return user


# --- Two-factor authentication ----------------------------------------------------------


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _normalise_code(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


def _is_totp_code(code: str) -> bool:
    return bool(re.fullmatch(r"\d{6}", code))


def _verify(user, device, code: str) -> bool:
    """Check `code` on `device` with django-otp's throttling.

    django-otp records a failure in its own transaction, so a wrong code
    counts even though the caller then raises.
    """
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        raise OtpThrottled(
            params={"locked_until": locked_until.isoformat() if locked_until else ""}
        )
    return django_otp.verify_token(user, device.persistent_id, code) is not None


def _new_recovery_codes(device: StaticDevice) -> list[str]:
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _index in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _enrolment_life() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES)


def _new_enrolment(*, user, method: str, issued_by=None) -> TwoFactorEnrolment:
    return TwoFactorEnrolment.objects.create(
        user=user, method=method, issued_by=issued_by, expires_at=db_now() + _enrolment_life()
    )


def two_factor_enrolment_request(*, user) -> TwoFactorEnrolment:
    """E-mail `user` a one-time link that lets them set up an authenticator.

    The password alone never enrols an authenticator: whoever stole it would
    then own the second factor too. The link goes to the verified address; it is
    made when the e-mail leaves (never stored), signed, and works once.
    """
    if confirmed_totp_device(user) is not None:
        raise TwoFactorAlreadyEnabled()
    if not user.email_verified:
        raise EmailNotVerified()
    with transaction.atomic(durable=True):
        enrolment = _new_enrolment(user=user, method=EnrolmentMethod.EMAIL)
        record(
            action="user.two_factor_enrolment_requested",
            actor=user,
            obj=user,
            payload={
                "enrolment_id": enrolment.pk,
                "method": enrolment.method,
                "expires_at": enrolment.expires_at,
            },
        )
        enqueue(topic=TWO_FACTOR_ENROLMENT_TOPIC, payload={"enrolment_id": enrolment.pk})
    return enrolment


def two_factor_enrolment_issue(*, user, actor=None) -> tuple[TwoFactorEnrolment, str]:
    """An administrator's one-time enrolment link for `user`, to hand over in person.

    `actor` is the platform administrator (None: an operator at the command line).
    Returns the enrolment and the link's token, which is not stored.
    """
    if actor is not None:
        require_perm(actor, Perm.MANAGE_USERS)
    if confirmed_totp_device(user) is not None:
        raise TwoFactorAlreadyEnabled()
    with transaction.atomic(durable=True):
        enrolment = _new_enrolment(user=user, method=EnrolmentMethod.ADMINISTRATOR, issued_by=actor)
        record(
            action="user.two_factor_enrolment_issued",
            actor=actor,
            obj=user,
            role=_admin_role(actor) if actor is not None else "",
            payload={
                "enrolment_id": enrolment.pk,
                "method": enrolment.method,
                "expires_at": enrolment.expires_at,
            },
        )
    return enrolment, make_enrolment_token(enrolment)


def two_factor_enrolment_open(*, user, token: str) -> TwoFactorEnrolment:
    """Use an enrolment link, once, in `user`'s session; it lets that session set up."""
    ids = read_enrolment_token(token)
    if ids is None or ids[1] != user.pk:
        raise InvalidEnrolmentLink()
    with transaction.atomic(durable=True):
        enrolment = enrolment_for_update(ids[0], user=user)
        now = db_now()
        if enrolment is None or enrolment.opened_at is not None or enrolment.expires_at <= now:
            raise InvalidEnrolmentLink()
        if confirmed_totp_device(user) is not None:
            raise TwoFactorAlreadyEnabled()
        enrolment.opened_at = now
        enrolment.save(update_fields=["opened_at", "updated_at"])
        record(
            action="user.two_factor_enrolment_opened",
            actor=user,
            obj=user,
            payload={"enrolment_id": enrolment.pk, "method": enrolment.method},
        )
    return enrolment


def open_enrolment(*, user, enrolment_id) -> TwoFactorEnrolment | None:
    """The enrolment opened in this session that still lets `user` set up, or None."""
    if enrolment_id is None:
        return None
    enrolment = TwoFactorEnrolment.objects.filter(
        pk=enrolment_id, user=user, opened_at__isnull=False, completed_at__isnull=True
    ).first()
    if enrolment is None or enrolment.opened_at + _enrolment_life() <= db_now():
        return None
    return enrolment


def _require_enrolment(user, enrolment) -> TwoFactorEnrolment:
    if enrolment is None or open_enrolment(user=user, enrolment_id=enrolment.pk) is None:
        raise EnrolmentProofRequired()
    return enrolment


def two_factor_start_setup(*, user, enrolment=None) -> TOTPDevice:
    """The authenticator device to scan, unconfirmed until a code from it is entered.

    Only in a session that opened an enrolment link: the secret is shown once proven.
    """
    if confirmed_totp_device(user) is not None:
        raise TwoFactorAlreadyEnabled()
    _require_enrolment(user, enrolment)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def two_factor_enable(*, user, token: str, enrolment=None) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator with a code from it; return it and 10 recovery codes.

    Needs the `enrolment` this session opened (a second proof besides the
    password); it is used up. The codes are shown to the user once; django-otp
    stores them to check them.
    """
    if confirmed_totp_device(user) is not None:
        raise TwoFactorAlreadyEnabled()
    _require_enrolment(user, enrolment)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    code = _normalise_code(token)
    if device is None or not _is_totp_code(code) or not _verify(user, device, code):
        raise InvalidOtpToken(field="otp_token")
    with transaction.atomic(durable=True):
        device = totp_device_for_update(device)
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise TwoFactorAlreadyEnabled()
        enrolment = enrolment_for_update(enrolment.pk, user=user)
        if enrolment.completed_at is not None:
            raise EnrolmentProofRequired()
        enrolment.completed_at = db_now()
        enrolment.save(update_fields=["completed_at", "updated_at"])
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        StaticDevice.objects.filter(user=user).delete()
        recovery = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = _new_recovery_codes(recovery)
        record(
            action="user.two_factor_enabled",
            actor=user,
            obj=user,
            payload={
                "device": "totp",
                "recovery_codes": len(codes),
                "enrolment_id": enrolment.pk,
                "enrolment": enrolment.method,
            },
        )
    return device, codes


def user_log_in_second_factor(*, user, token: str):
    """Check a TOTP code or a recovery code; return the device that accepted it.

    A recovery code is consumed. Audited as `user.logged_in` with the method.
    """
    totp_device = confirmed_totp_device(user)
    if totp_device is None:
        raise TwoFactorNotEnabled()
    code = _normalise_code(token)
    if _is_totp_code(code):
        method, device = "totp", totp_device
    else:
        method = "recovery"
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not code or not _verify(user, device, code):
        raise InvalidOtpToken(field="otp_token")
    user_record_login(user=user, method=method)
    return device


def two_factor_regenerate_recovery_codes(*, user) -> list[str]:
    """Replace the recovery codes with 10 new ones, shown once."""
    if confirmed_totp_device(user) is None:
        raise TwoFactorNotEnabled()
    with transaction.atomic(durable=True):
        device = recovery_codes_device_for_update(user)
        if device is None:
            device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = _new_recovery_codes(device)
        record(
            action="user.recovery_codes_regenerated",
            actor=user,
            obj=user,
            payload={"recovery_codes": len(codes)},
        )
    return codes


def two_factor_disable(*, user, token: str) -> None:
    """Turn two-factor authentication off, for a user whose roles do not need it."""
    if requires_two_factor(user):
        raise TwoFactorRequired()
    device = confirmed_totp_device(user)
    if device is None:
        raise TwoFactorNotEnabled()
    code = _normalise_code(token)
    if not _is_totp_code(code) or not _verify(user, device, code):
        raise InvalidOtpToken(field="otp_token")
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(action="user.two_factor_disabled", actor=user, obj=user)


# --- Personal API tokens ------------------------------------------------------------------


def api_token_create(
    *,
    actor,
    name: str,
    expires_in_days: int,
    second_factor_verified: bool = False,
    via_api_token: bool = False,
) -> tuple[ApiToken, str]:
    """Make a personal API token; return it and the raw token, which is shown once.

    Only the token's SHA-256 is stored. A token cannot mint another token.
    `second_factor_verified` says whether the actor's session passed 2FA: a token
    made without it is refused for users whose roles require 2FA.
    """
    require_perm(actor, Perm.MANAGE_OWN_API_TOKENS)
    if via_api_token:
        raise ApiTokenNeedsSession()
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Give the token a name."), field="name")
    max_days = settings.API_TOKEN_MAX_DAYS
    if not isinstance(expires_in_days, int) or not 1 <= expires_in_days <= max_days:
        raise InvalidTokenExpiry(
            _("A token must expire within 1 to %(max_days)s days.") % {"max_days": max_days},
            params={"max_days": max_days},
            field="expires_in_days",
        )
    with transaction.atomic(durable=True):
        # Serialise one user's token creations so the limit holds.
        user_for_update(actor)
        now = db_now()
        active = ApiToken.objects.filter(
            user=actor, revoked_at__isnull=True, expires_at__gt=now
        ).count()
        if active >= MAX_ACTIVE_API_TOKENS:
            raise ApiTokenLimitReached(params={"limit": MAX_ACTIVE_API_TOKENS})
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_hex(32)}"
        token = ApiToken.objects.create(
            user=actor,
            name=name,
            prefix=prefix,
            token_hash=hash_token(raw),
            expires_at=now + datetime.timedelta(days=expires_in_days),
            second_factor_verified=second_factor_verified,
        )
        record(
            action="api_token.created",
            actor=actor,
            obj=token,
            payload={
                "name": name,
                "prefix": prefix,
                "expires_at": token.expires_at,
                "second_factor_verified": second_factor_verified,
            },
        )
    return token, raw


def api_token_revoke(*, actor, token: ApiToken, reason: str = "") -> ApiToken:
    """Revoke a token: its holder, or a platform administrator."""
    if not (
        has_perm(actor, Perm.MANAGE_OWN_API_TOKENS, token) or has_perm(actor, Perm.MANAGE_USERS)
    ):
        require_perm(actor, Perm.MANAGE_USERS)
    with transaction.atomic(durable=True):
        token = api_token_for_update(token)
        if token.revoked_at is not None:
            raise ApiTokenAlreadyRevoked()
        token.revoked_at = db_now()
        token.save(update_fields=["revoked_at", "updated_at"])
        record(
            action="api_token.revoked",
            actor=actor,
            obj=token,
            payload={"prefix": token.prefix, "holder_id": token.user_id},
            reason=reason,
        )
    return token


# --- Organisations and memberships (platform administration) ----------------------------


def _admin_role(actor) -> str:
    return Role.PLATFORM_ADMIN if Role.PLATFORM_ADMIN in active_roles(actor) else ""


def organisation_create(
    *, actor, kind: str, name: str, name_fa: str = "", country: str = "IR"
) -> Organisation:
    require_perm(actor, Perm.MANAGE_ORGANISATIONS)
    if kind not in OrganisationKind.values:
        raise ValidationFailed(_("Choose a kind of organisation."), field="kind")
    name = name.strip()
    if not name:
        raise ValidationFailed(_("Enter the organisation's name."), field="name")
    with transaction.atomic(durable=True):
        organisation = Organisation.objects.create(
            kind=kind, name=name, name_fa=name_fa.strip(), country=country
        )
        record(
            action="organisation.created",
            actor=actor,
            obj=organisation,
            role=_admin_role(actor),
            payload={
                "kind": kind,
                "name": name,
                "name_fa": organisation.name_fa,
                "country": country,
            },
        )
    return organisation


ORGANISATION_EDITABLE_FIELDS = ("name", "name_fa", "country", "is_active")


def organisation_update(*, actor, organisation: Organisation, **changes) -> Organisation:
    """Change an organisation's names, country or whether it is active (not its kind)."""
    require_perm(actor, Perm.MANAGE_ORGANISATIONS)
    unknown = set(changes) - set(ORGANISATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationFailed(params={"fields": sorted(unknown)})
    with transaction.atomic(durable=True):
        organisation = organisation_for_update(organisation)
        diff = {
            field: {"from": getattr(organisation, field), "to": value}
            for field, value in changes.items()
            if getattr(organisation, field) != value
        }
        if not diff:
            return organisation
        for field in diff:
            setattr(organisation, field, changes[field])
        organisation.save(update_fields=[*diff, "updated_at"])
        record(
            action="organisation.updated",
            actor=actor,
            obj=organisation,
            role=_admin_role(actor),
            payload=diff,
        )
    return organisation


def membership_grant(*, actor, user, organisation: Organisation, role: str, reason: str = ""):
    """Give `user` `role` in `organisation`; the role must fit the organisation's kind."""
    require_perm(actor, Perm.MANAGE_USERS)
    if role not in Role.values or role not in ROLES_BY_KIND[OrganisationKind(organisation.kind)]:
        raise RoleNotAllowed(params={"role": role, "kind": organisation.kind}, field="role")
    with transaction.atomic(durable=True):
        membership = role_membership_for_update(
            user=user, organisation_id=organisation.pk, role=role
        )
        if membership is not None and membership.is_active:
            raise MembershipExists(params={"role": role})
        if membership is None:
            membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        else:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
        record(
            action="membership.granted",
            actor=actor,
            obj=membership,
            role=_admin_role(actor),
            reason=reason,
            payload={"user_id": user.pk, "organisation_id": organisation.pk, "role": role},
        )
    forget_roles(user)
    return membership


def membership_revoke(*, actor, membership: Membership, reason: str = "") -> Membership:
    require_perm(actor, Perm.MANAGE_USERS)
    with transaction.atomic(durable=True):
        membership = membership_for_update(membership)
        if not membership.is_active:
            raise MembershipAlreadyRevoked()
        membership.is_active = False
        membership.save(update_fields=["is_active", "updated_at"])
        record(
            action="membership.revoked",
            actor=actor,
            obj=membership,
            role=_admin_role(actor),
            reason=reason,
            payload={
                "user_id": membership.user_id,
                "organisation_id": membership.organisation_id,
                "role": membership.role,
            },
        )
    forget_roles(membership.user)
    return membership


USER_ADMIN_FIELDS = ("name", "is_active", "is_staff", "is_superuser")


def user_update_by_admin(*, actor, user, **changes) -> User:
    """A platform administrator changes a user's name or access flags.

    Only a superuser may grant or remove staff or superuser status.
    """
    require_perm(actor, Perm.MANAGE_USERS)
    unknown = set(changes) - set(USER_ADMIN_FIELDS)
    if unknown:
        raise ValidationFailed(params={"fields": sorted(unknown)})
    with transaction.atomic(durable=True):
        user = user_for_update(user)
        diff = {
            field: {"from": getattr(user, field), "to": value}
            for field, value in changes.items()
            if getattr(user, field) != value
        }
        if not diff:
            return user
        if {"is_staff", "is_superuser"} & set(diff) and not actor.is_superuser:
            raise PermissionDenied(
                _("Only a superuser may change staff or superuser status."),
                params={"fields": sorted({"is_staff", "is_superuser"} & set(diff))},
            )
        for field in diff:
            setattr(user, field, changes[field])
        user.save(update_fields=list(diff))
        record(
            action="user.updated",
            actor=actor,
            obj=user,
            role=_admin_role(actor),
            payload=diff,
        )
    return user


# --- Invitations to an organisation ------------------------------------------------------


def membership_invite(
    *, actor, organisation: Organisation, email: str, role: str, name: str = ""
) -> MembershipInvitation:
    """Offer `role` in `organisation` to the person with `email`, who accepts or declines it.

    Nobody is attached by an address alone: the membership exists once the
    person, signed in, accepts. An address without an account gets one without
    a usable password (the caller's e-mail lets the person choose one). The
    caller tells the person (a notification, an e-mail): accounts cannot know
    what the organisation is to them.
    """
    from django.core.validators import validate_email

    from .selectors import acting_capacity

    email = normalise_email(email)
    name = (name or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed(_("Enter a valid email address."), field="email") from None
    if len(email) > User._meta.get_field("email").max_length:
        raise ValidationFailed(_("Enter a valid email address."), field="email")
    if role not in ROLES_BY_KIND[OrganisationKind(organisation.kind)]:
        raise RoleNotAllowed(field="role", params={"role": role, "kind": organisation.kind})
    with transaction.atomic():
        organisation = organisation_for_update(organisation)
        require_perm(actor, Perm.INVITE_MEMBERS, organisation)
        user = user_by_email_for_update(email)
        new_account = user is None
        if new_account:
            if not name:
                raise ValidationFailed(_("Enter the name of the person you invite."), field="name")
            user = User.objects.create_user(email=email, name=name, password=None)
        membership = role_membership_for_update(
            user=user, organisation_id=organisation.pk, role=role
        )
        if membership is not None and membership.is_active:
            raise MembershipExists(field="email", params={"role": role})
        if MembershipInvitation.objects.filter(
            user=user, organisation=organisation, role=role, state="pending"
        ).exists():
            raise InvitationPending(field="email", params={"role": role})
        invitation = MembershipInvitation.objects.create(
            user=user, organisation=organisation, role=role, invited_by=actor
        )
        record(
            action="membership.invited",
            actor=actor,
            obj=invitation,
            organisation=organisation,
            role=acting_capacity(actor, Perm.INVITE_MEMBERS, organisation)["role"],
            payload={
                "user_id": user.pk,
                "organisation_id": organisation.pk,
                "role": role,
                "new_account": new_account,
            },
        )
    return invitation


def membership_invitation_accept(*, actor, invitation: MembershipInvitation) -> Membership:
    """The invited person, signed in, accepts: they hold the role from now."""
    with transaction.atomic(durable=True):
        invitation = invitation_for_update(invitation)
        require_perm(actor, Perm.ANSWER_INVITATION, invitation)
        run_transition(
            invitation,
            invitation.accept,
            actor=actor,
            action="membership.accepted",
            organisation=invitation.organisation,
            role=invitation.role,
            update_fields=["decided_at", "updated_at"],
            error=InvitationNotPending,
            payload={"organisation_id": invitation.organisation_id, "role": invitation.role},
            at=db_now(),
        )
        membership = role_membership_for_update(
            user=actor, organisation_id=invitation.organisation_id, role=invitation.role
        )
        if membership is None:
            membership = Membership.objects.create(
                user=actor, organisation_id=invitation.organisation_id, role=invitation.role
            )
        elif not membership.is_active:
            membership.is_active = True
            membership.save(update_fields=["is_active", "updated_at"])
    forget_roles(actor)
    return membership


def membership_invitation_decline(
    *, actor, invitation: MembershipInvitation
) -> MembershipInvitation:
    """The invited person declines: nothing is given, the inviter sees it declined."""
    with transaction.atomic(durable=True):
        invitation = invitation_for_update(invitation)
        require_perm(actor, Perm.ANSWER_INVITATION, invitation)
        run_transition(
            invitation,
            invitation.decline,
            actor=actor,
            action="membership.declined",
            organisation=invitation.organisation,
            update_fields=["decided_at", "updated_at"],
            error=InvitationNotPending,
            payload={"organisation_id": invitation.organisation_id, "role": invitation.role},
            at=db_now(),
        )
    return invitation


def organisation_register_supplier(*, actor, name: str, name_fa: str = "", country: str):
    """A signed-in person starts a company: its organisation, with them as its administrator.

    The one way a supplier's organisation comes to be (suppliers' registration
    calls it in its transaction); audited as `organisation.created` and
    `membership.granted`, the person's own act.
    """
    if not has_perm(actor, Perm.REGISTER_COMPANY):
        raise PermissionDenied(params={"permission": str(Perm.REGISTER_COMPANY)})
    with transaction.atomic():
        organisation = Organisation.objects.create(
            kind=OrganisationKind.SUPPLIER, name=name, name_fa=name_fa, country=country
        )
        record(
            action="organisation.created",
            actor=actor,
            obj=organisation,
            organisation=organisation,
            role=Role.SUPPLIER_ADMIN,
            payload={"kind": organisation.kind, "name": name, "country": country},
        )
        membership = Membership.objects.create(
            user=actor, organisation=organisation, role=Role.SUPPLIER_ADMIN
        )
        record(
            action="membership.granted",
            actor=actor,
            obj=membership,
            organisation=organisation,
            role=Role.SUPPLIER_ADMIN,
            payload={
                "user_id": actor.pk,
                "organisation_id": organisation.pk,
                "role": Role.SUPPLIER_ADMIN,
            },
        )
    forget_roles(actor)
    return organisation


def organisation_rename(*, actor, organisation: Organisation, name: str, name_fa: str = ""):
    """The organisation's own administrator (or the platform's) renames it.

    A company's organisation follows its registered legal name: suppliers call
    this when the legal name changes. Audited as `organisation.renamed`.
    """
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Enter the organisation's name."), field="name")
    with transaction.atomic():
        organisation = organisation_for_update(organisation)
        require_perm(actor, Perm.RENAME_ORGANISATION, organisation)
        diff = {
            field: {"from": getattr(organisation, field), "to": value}
            for field, value in (("name", name), ("name_fa", (name_fa or "").strip()))
            if getattr(organisation, field) != value
        }
        if not diff:
            return organisation
        for field, change in diff.items():
            setattr(organisation, field, change["to"])
        organisation.save(update_fields=[*diff, "updated_at"])
        from .selectors import acting_capacity

        record(
            action="organisation.renamed",
            actor=actor,
            obj=organisation,
            organisation=organisation,
            role=acting_capacity(actor, Perm.RENAME_ORGANISATION, organisation)["role"],
            payload=diff,
        )
    return organisation
