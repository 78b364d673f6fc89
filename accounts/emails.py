"""The emails the accounts app sends. Called by its outbox handlers, after commit.

Each link's token is made here, when the email goes out, so it is never
stored in the outbox.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import TwoFactorEnrolment, User
from .tokens import email_verification_token, make_enrolment_token


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _send(user, template: str, context: dict) -> None:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
        body = render_to_string(f"accounts/email/{template}.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])


def send_email_verification(user_id: int) -> bool:
    """Mail the address-verification link; False when there is nothing to send."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.email_verified:
        return False
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    link = _absolute(reverse("accounts:verify_email", args=[uidb64, token]))
    _send(
        user,
        "verify_email",
        {"link": link, "max_age_days": settings.EMAIL_VERIFICATION_MAX_AGE_DAYS},
    )
    return True


def send_password_reset(user_id: int) -> bool:
    """Mail a password-reset link; False when the account cannot sign in."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = _absolute(reverse("accounts:password_reset_confirm", args=[uidb64, token]))
    _send(
        user,
        "password_reset",
        {"link": link, "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600},
    )
    return True


def enrolment_url(token: str) -> str:
    """The address of an enrolment link with this token."""
    return _absolute(reverse("accounts:two_factor_enrol", args=[token]))


def send_two_factor_enrolment(enrolment_id: int) -> bool:
    """Mail the one-time link that lets a user set up an authenticator; False if moot."""
    enrolment = (
        TwoFactorEnrolment.objects.select_related("user")
        .filter(pk=enrolment_id, opened_at__isnull=True, user__is_active=True)
        .first()
    )
    if enrolment is None or not enrolment.user.email_verified:
        return False
    _send(
        enrolment.user,
        "two_factor_enrolment",
        {
            "link": enrolment_url(make_enrolment_token(enrolment)),
            "max_age_minutes": settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES,
        },
    )
    return True
