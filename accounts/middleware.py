"""Two-factor authentication is required for every buyer-side, oversight and auditor role."""

from django.shortcuts import redirect
from django.urls import reverse

from .permissions import requires_two_factor

# Pages a user who still owes a second factor may reach.
ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/favicon")


class TwoFactorRequiredMiddleware:
    """Send a user whose roles need 2FA to set it up or enter a code first.

    Runs after django-otp's OTPMiddleware, which sets `user.is_verified()`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and requires_two_factor(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                from core.api import problem_response

                return problem_response(
                    request, 403, "Two-factor authentication is required.", "auth.two_factor_required"
                )
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
