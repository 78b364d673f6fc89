"""The emails the accounts app sends. Prepared by its outbox handlers, after commit.

Each function reads what it needs and renders the e-mail in the recipient's
language, returning the `OutsideCall` that sends it outside any transaction (or
None when there is nothing to send). Each link's token is made here, when the
email goes out, and lives only in memory: it is never stored in the outbox.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.mail import send_once
from core.outbox import OutsideCall

from .models import TwoFactorEnrolment, User
from .tokens import email_verification_token, make_enrolment_token


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _mail(user, template: str, context: dict) -> OutsideCall:
    """The e-mail `template` to `user`, rendered in their language, ready to be sent."""
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    address = user.email

    def send(key: str) -> int:
        return send_once(subject=subject, body=body, to=address, idempotency_key=key)

    return OutsideCall(send=send)


def prepare_email_verification(user_id: int) -> OutsideCall | None:
    """The mail with the address-verification link; None when there is nothing to send."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        return None
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    link = _absolute(reverse("accounts:verify_email", args=[uidb64, token]))
    return _mail(
        user,
        "verify_email",
        {"link": link, "max_age_days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS},
    )


def prepare_password_reset(user_id: int) -> OutsideCall | None:
    """The mail with a password-reset link; None when the account cannot sign in."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return None
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = _absolute(reverse("accounts:password_reset_confirm", args=[uidb64, token]))
    return _mail(
        user,
        "password_reset",
        {"link": link, "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )


def enrolment_url(token: str) -> str:
    """The address of an enrolment link with this token."""
    return _absolute(reverse("accounts:two_factor_enrol", args=[token]))


def prepare_two_factor_enrolment(enrolment_id: int) -> OutsideCall | None:
    """The mail with the one-time link to set up an authenticator; None if moot."""
    enrolment = (
        TwoFactorEnrolment.objects.select_related("user")
        .filter(pk=enrolment_id, opened_at__isnull=True, user__is_active=True)
        .first()
    )
    if enrolment is None or not enrolment.user.email_verified:
        return None
    return _mail(
        enrolment.user,
        "two_factor_enrolment",
        {
            "link": enrolment_url(make_enrolment_token(enrolment)),
            "max_age_minutes": settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES,
        },
    )
