"""The accounts app's forms: they parse input; services do the work."""

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from .models import User, normalise_email
from .services import user_change_password, user_request_password_reset, user_reset_password


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Enter the same password again, to be sure."),
    )

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1:
            candidate = User(email=cleaned.get("email", ""), name=cleaned.get("name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class LoginForm(auth_forms.AuthenticationForm):
    """Email and password. django-axes counts the failures of this form."""

    username = forms.CharField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("The email address or the password is not right."),
    }

    def clean_username(self):
        return normalise_email(self.cleaned_data["username"])


class OtpTokenForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
        help_text=_(
            "The 6-digit code your authenticator app shows now, or one of your recovery codes."
        ),
    )


class OtpSetupForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
        help_text=_("The 6-digit code your authenticator app shows after you added Panjere."),
    )


class OtpConfirmForm(forms.Form):
    otp_token = forms.CharField(
        label=_("Code from your app"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=200)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “accounting export”."),
    )
    expires_in_days = forms.IntegerField(label=_("Expires in (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        max_days = settings.API_TOKEN_MAX_DAYS
        field = self.fields["expires_in_days"]
        field.max_value = max_days
        field.validators.append(forms.IntegerField(max_value=max_days).validators[-1])
        field.widget.attrs["max"] = max_days
        field.initial = min(90, max_days)
        field.help_text = _("At most %(days)s days.") % {"days": max_days}


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, but the email leaves through the outbox with its token made there."""

    def save(self, *args, **kwargs):
        user_request_password_reset(email=self.cleaned_data["email"])


class SetPasswordForm(auth_forms.SetPasswordForm):
    def save(self, commit=True):
        return user_reset_password(user=self.user, password=self.cleaned_data["new_password1"])


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    def save(self, commit=True):
        return user_change_password(user=self.user, password=self.cleaned_data["new_password1"])
