"""Two-factor authentication is required for every buyer-side, oversight and auditor role.

It is also required of anyone who turned it on voluntarily: once a user has a
confirmed authenticator, a password alone never opens their session.
"""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .exceptions import TwoFactorRequired
from .permissions import requires_two_factor

# Paths a user who still owes a second factor may reach, besides the pages below.
ALLOWED_PREFIXES = ("/i18n/", "/static/", "/media/", "/favicon")
# The sign-in flow itself. Every other page, the account page included, waits for
# the second factor: otherwise an API token made there would bypass it.
ALLOWED_URL_NAMES = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:signup",
        "accounts:verify_email",
        "accounts:two_factor",
        "accounts:two_factor_setup",
        # The second proof an authenticator's enrolment needs: a link by e-mail.
        "accounts:two_factor_enrolment_link",
        "accounts:two_factor_enrol",
        "accounts:resend_verification",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "set_language",
    }
)


def needs_second_factor(user) -> bool:
    """Whether `user`'s session must be verified with a second factor."""
    cached = getattr(user, "_panjere_needs_second_factor", None)
    if cached is None:
        cached = (
            requires_two_factor(user)
            or TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        )
        user._panjere_needs_second_factor = cached
    return cached


def second_factor_url(next_url: str) -> str:
    return f"{reverse('accounts:two_factor')}?{urlencode({'next': next_url})}"


class TwoFactorRequiredMiddleware:
    """Send a user who owes a second factor to set it up or enter a code first.

    Runs after django-otp's OTPMiddleware, which sets `user.is_verified()`.
    API requests authenticated by a personal token do not pass through here
    with a user (DRF authenticates them later): tokens are made only from a
    verified session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if (
            not user.is_authenticated
            or user.is_verified()
            or request.path.startswith(ALLOWED_PREFIXES)
            or (
                request.resolver_match is not None
                and request.resolver_match.view_name in ALLOWED_URL_NAMES
            )
            or not needs_second_factor(user)
        ):
            return None
        if request.path.startswith("/api/"):
            from core.api import problem_response

            return problem_response(
                request,
                403,
                _("Two-factor authentication is required."),
                TwoFactorRequired.code,
            )
        return redirect(second_factor_url(request.get_full_path()))
