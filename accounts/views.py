"""The accounts pages. Thin: parse, call a service, render."""

from base64 import b32encode
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse, reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from core import formtokens
from core.exceptions import DomainError
from core.forms import add_domain_error
from core.formtokens import once_per_form_token
from core.ratelimits import per_ip, per_posted_email, per_user

from . import selectors
from .forms import (
    ApiTokenForm,
    LoginForm,
    OtpConfirmForm,
    OtpSetupForm,
    OtpTokenForm,
    PasswordChangeForm,
    PasswordResetForm,
    ProfileForm,
    SetPasswordForm,
    SignUpForm,
)
from .middleware import ALLOWED_URL_NAMES, needs_second_factor, second_factor_url
from .models import ApiToken, MembershipInvitation
from .permissions import requires_two_factor
from .services import (
    api_token_create,
    api_token_revoke,
    confirmed_totp_device,
    membership_invitation_accept,
    membership_invitation_decline,
    open_enrolment,
    two_factor_disable,
    two_factor_enable,
    two_factor_enrolment_open,
    two_factor_enrolment_request,
    two_factor_regenerate_recovery_codes,
    two_factor_start_setup,
    user_log_in_second_factor,
    user_record_login,
    user_record_logout,
    user_request_email_verification,
    user_set_language,
    user_sign_up,
    user_update_profile,
    user_verify_email,
)

# Set between the password step and the second factor of one sign-in.
LOGIN_PENDING_KEY = "accounts_login_pending"
# The enrolment (a second proof) this session opened, which lets it set up an authenticator.
ENROLMENT_SESSION_KEY = "accounts_two_factor_enrolment"
# Wrong codes entered in this session; at the limit the session ends.
OTP_FAILURES_KEY = "accounts_otp_failures"
MAX_SESSION_OTP_FAILURES = 5


def _next_url(request, default=None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _is_sign_in_flow(url: str) -> bool:
    try:
        return resolve(url.split("?", 1)[0]).view_name in ALLOWED_URL_NAMES
    except Resolver404:
        return False


# --- Sign-up and email verification --------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@per_ip("signup.ip")
def signup(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_sign_up(
                email=data["email"],
                name=data["name"],
                password=data["password1"],
                language=request.LANGUAGE_CODE,
            )
        except DomainError as exc:
            add_domain_error(form, exc, field_map={"password": "password1"})
        else:
            auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            user_record_login(user=user, method="password")
            messages.success(
                request,
                _("Welcome! We sent a link to %(email)s: open it to verify your address.")
                % {"email": user.email},
            )
            return redirect("accounts:profile")
    return render(request, "accounts/signup.html", {"form": form})


def verify_email(request, uidb64, token):
    """GET shows a confirmation button (mail scanners only GET); POST verifies."""
    if request.method == "POST":
        try:
            user = user_verify_email(uidb64=uidb64, token=token)
        except DomainError as exc:
            return render(request, "accounts/verify_email.html", {"error": exc.message}, status=400)
        messages.success(request, _("Thank you: %(email)s is verified.") % {"email": user.email})
        return redirect("accounts:profile" if request.user.is_authenticated else "accounts:login")
    return render(request, "accounts/verify_email.html", {"error": None})


@login_required
@require_POST
@per_ip("email_verification.ip")
@per_user("email_verification.user")
def resend_verification(request):
    try:
        user_request_email_verification(user=request.user)
    except DomainError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(
            request, _("We sent a new link to %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


# --- Signing in and out --------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Email and password; then the second factor when the user has or needs one."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        next_url = self.get_success_url()
        auth_login(self.request, user)
        if needs_second_factor(user):
            self.request.session[LOGIN_PENDING_KEY] = True
            if _is_sign_in_flow(next_url):
                # e.g. the enrolment link that sent them to sign in: it is the next step
                return redirect(next_url)
            return redirect(second_factor_url(next_url))
        user_record_login(user=user, method="password")
        return redirect(next_url)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            user_record_logout(user=request.user)
        return super().post(request, *args, **kwargs)


@never_cache
@sensitive_post_parameters("otp_token")
def two_factor(request):
    """The second step of signing in: a TOTP code or a recovery code."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if confirmed_totp_device(user) is None:
        if requires_two_factor(user):
            return redirect(_with_next("accounts:two_factor_setup", next_url))
        return redirect(next_url)
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = user_log_in_second_factor(user=user, token=form.cleaned_data["otp_token"])
        except DomainError as exc:
            failures = request.session.get(OTP_FAILURES_KEY, 0) + 1
            if failures >= MAX_SESSION_OTP_FAILURES:
                auth_logout(request)
                messages.error(
                    request, _("Too many wrong codes. Sign in again with your password.")
                )
                return redirect(_with_next("accounts:login", next_url))
            request.session[OTP_FAILURES_KEY] = failures
            add_domain_error(form, exc, default_field="otp_token")
        else:
            django_otp.login(request, device)
            request.session.pop(OTP_FAILURES_KEY, None)
            request.session.pop(LOGIN_PENDING_KEY, None)
            return redirect(next_url)
    return render(request, "accounts/two_factor.html", {"form": form, "next": next_url})


def _qr_svg(device) -> str:
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app")
    )


def _grouped_secret(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def _masked_email(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{local[:1]}{'•' * min(max(len(local) - 1, 1), 8)}@{domain}"


def _enrolment_gate(request, user, next_url):
    """Setting up needs a second proof: ask for a link by e-mail, or an administrator's."""
    context = {
        "email": _masked_email(user.email),
        "email_verified": user.email_verified,
        "required": requires_two_factor(user),
        "next": next_url,
        "max_age_minutes": settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES,
    }
    return render(request, "accounts/two_factor_enrolment.html", context)


@never_cache
@sensitive_post_parameters("otp_token")
def two_factor_setup(request):
    """Scan a QR code, confirm with a code, receive recovery codes once.

    Only in a session that opened an enrolment link (from the verified e-mail
    address, or from an administrator): a password alone never enrols.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    next_url = _next_url(request, default=reverse("accounts:profile"))
    if confirmed_totp_device(user) is not None:
        messages.info(request, _("Two-factor authentication is already set up."))
        return redirect(next_url if user.is_verified() else second_factor_url(next_url))
    enrolment = open_enrolment(user=user, enrolment_id=request.session.get(ENROLMENT_SESSION_KEY))
    if enrolment is None:
        return _enrolment_gate(request, user, next_url)
    device = two_factor_start_setup(user=user, enrolment=enrolment)
    form = OtpSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = two_factor_enable(
                user=user, token=form.cleaned_data["otp_token"], enrolment=enrolment
            )
        except DomainError as exc:
            add_domain_error(form, exc, default_field="otp_token")
        else:
            request.session.pop(ENROLMENT_SESSION_KEY, None)
            django_otp.login(request, device)
            if request.session.pop(LOGIN_PENDING_KEY, False):
                user_record_login(user=user, method="totp")
            return render(
                request,
                "accounts/recovery_codes_new.html",
                {"codes": codes, "next": next_url, "just_enabled": True},
            )
    context = {
        "form": form,
        "qr_svg": mark_safe(_qr_svg(device)),  # noqa: S308 - segno's own markup
        "secret": _grouped_secret(device),
        "required": requires_two_factor(user),
        "next": next_url,
    }
    return render(request, "accounts/two_factor_setup.html", context)


@never_cache
@login_required
@require_POST
@per_ip("two_factor_enrolment.ip")
@per_user("two_factor_enrolment.user")
def two_factor_enrolment_link(request):
    """E-mail the one-time link that lets this account set up an authenticator."""
    next_url = _next_url(request, default=reverse("accounts:profile"))
    try:
        two_factor_enrolment_request(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("We sent a link to %(email)s. Open it in this browser to continue.")
            % {"email": _masked_email(request.user.email)},
        )
    return redirect(_with_next("accounts:two_factor_setup", next_url))


@never_cache
def two_factor_enrol(request, token):
    """An enrolment link: GET asks to confirm (mail scanners only GET); POST uses it, once."""
    if not request.user.is_authenticated:
        messages.info(request, _("Sign in with your password, then the link takes you on."))
        return redirect_to_login(request.get_full_path())
    if request.method != "POST":
        return render(request, "accounts/two_factor_enrol.html", {"error": None})
    try:
        enrolment = two_factor_enrolment_open(user=request.user, token=token)
    except DomainError as exc:
        return render(request, "accounts/two_factor_enrol.html", {"error": exc.message}, status=400)
    request.session[ENROLMENT_SESSION_KEY] = enrolment.pk
    return redirect("accounts:two_factor_setup")


@never_cache
@login_required
def recovery_codes(request):
    """How many recovery codes are left; POST replaces them with 10 new ones."""
    user = request.user
    if confirmed_totp_device(user) is None:
        return redirect("accounts:two_factor_setup")
    if request.method == "POST":
        codes = two_factor_regenerate_recovery_codes(user=user)
        return render(
            request,
            "accounts/recovery_codes_new.html",
            {"codes": codes, "next": reverse("accounts:profile"), "just_enabled": False},
        )
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes_left": selectors.recovery_codes_left(user)},
    )


@never_cache
@login_required
@sensitive_post_parameters("otp_token")
def two_factor_disable_view(request):
    user = request.user
    if confirmed_totp_device(user) is None:
        return redirect("accounts:profile")
    required = requires_two_factor(user)
    form = OtpConfirmForm(request.POST or None)
    if request.method == "POST" and not required and form.is_valid():
        try:
            two_factor_disable(user=user, token=form.cleaned_data["otp_token"])
        except DomainError as exc:
            add_domain_error(form, exc, default_field="otp_token")
        else:
            messages.success(request, _("Two-factor authentication is turned off."))
            return redirect("accounts:profile")
    return render(request, "accounts/two_factor_disable.html", {"form": form, "required": required})


# --- The account page and API tokens -----------------------------------------------------


@login_required
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None,
        initial={"name": user.name, "language": user.language or request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(user=user, name=form.cleaned_data["name"])
            user_set_language(user=user, language=form.cleaned_data["language"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Your account is updated."))
            response = redirect("accounts:profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
            return response
    context = {
        "form": form,
        "memberships": selectors.memberships_of(user),
        "two_factor_enabled": selectors.has_two_factor(user),
        "two_factor_required": requires_two_factor(user),
        "recovery_codes_left": selectors.recovery_codes_left(user),
        "tokens": selectors.api_tokens_of(user)[:5],
    }
    return render(request, "accounts/profile.html", context)


@never_cache
@login_required
@once_per_form_token
def api_tokens(request):
    """List one's API tokens and make a new one, shown in full once."""
    user = request.user
    form = ApiTokenForm(request.POST or None)
    new_token = raw_token = None
    if request.method == "POST" and form.is_valid():
        try:
            new_token, raw_token = api_token_create(
                actor=user,
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
                second_factor_verified=user.is_verified(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            form = ApiTokenForm()
            # Sent again, the form shows the list: the new token is shown once only.
            formtokens.applied(request, request.path)
    context = {
        "form": form,
        "tokens": selectors.api_tokens_of(user),
        "new_token": new_token,
        "raw_token": raw_token,
        "may_create": user.email_verified,
        "now": timezone.now(),
        "max_days": settings.API_TOKEN_MAX_DAYS,
    }
    return render(request, "accounts/tokens.html", context)


@login_required
@require_POST
def api_token_revoke_view(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        api_token_revoke(actor=request.user, token=token)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


# --- Passwords: Django's views, our templates and forms -------------------------------------


@method_decorator(per_ip("password_reset.ip"), name="post")
@method_decorator(per_posted_email("password_reset.email"), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- Invitations to an organisation ---------------------------------------------------------


@require_safe
@login_required
def invitations(request):
    """The roles the user is invited to take up, each to accept or decline."""
    return render(
        request,
        "accounts/invitations.html",
        {"invitations": selectors.invitations_of(request.user)},
    )


def _answer_invitation(request, pk, *, accept: bool):
    invitation = get_object_or_404(MembershipInvitation, pk=pk, user=request.user)
    try:
        if accept:
            membership_invitation_accept(actor=request.user, invitation=invitation)
        else:
            membership_invitation_decline(actor=request.user, invitation=invitation)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = (
            _("You now act for %(organisation)s as %(role)s.")
            if accept
            else _("You declined the invitation of %(organisation)s.")
        )
        messages.success(
            request,
            text
            % {"organisation": invitation.organisation.name, "role": invitation.get_role_display()},
        )
    return redirect("accounts:invitations")


@require_POST
@login_required
def invitation_accept(request, pk):
    return _answer_invitation(request, pk, accept=True)


@require_POST
@login_required
def invitation_decline(request, pk):
    return _answer_invitation(request, pk, accept=False)
