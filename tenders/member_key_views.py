"""The committee member's page "My opening key": make the key in the browser, keep only the file.

The page's script (static/js/opening_key.js, with the sealing bundle) makes
the key pair and encrypts it under the passphrase in the browser; the
passphrase fields have no `name`, so the browser never sends them. What is
posted is the key file only. Without JavaScript, the member makes the file
with `panjere key create` and uploads it through the same form.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.permissions import Perm, has_perm
from core.exceptions import DomainError
from core.forms import add_domain_error

from . import selectors, services

ACTIONS = {
    "create": (services.member_key_create, gettext_lazy("Your opening key is registered.")),
    "rewrap": (
        services.member_key_rewrap,
        gettext_lazy("Your opening key is now under its new passphrase."),
    ),
    "rotate": (services.member_key_rotate, gettext_lazy("Your new opening key is registered.")),
}
MAX_KEY_FILE_BYTES = 4096


class KeyFileForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in ACTIONS], widget=forms.HiddenInput)
    key_file = forms.CharField(
        label=gettext_lazy("Key file"),
        required=False,
        max_length=MAX_KEY_FILE_BYTES,
        widget=forms.HiddenInput,
    )
    key_file_upload = forms.FileField(
        label=gettext_lazy("Or upload a key file made by the panjere command"),
        required=False,
        help_text="panjere key create --out opening.key",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("key_file_upload")
        if upload is not None:
            if upload.size > MAX_KEY_FILE_BYTES:
                raise forms.ValidationError(_("A key file is smaller than 4 KB."))
            data["text"] = upload.read()
        elif data.get("key_file"):
            data["text"] = data["key_file"]
        else:
            raise forms.ValidationError(
                _("Make the key in this page (it needs JavaScript) or upload a key file.")
            )
        return data


def _require_member(user) -> None:
    if not has_perm(user, Perm.HOLD_OPENING_KEY):
        raise PermissionDenied(_("Only opening committee members hold opening keys."))


def _script_words() -> dict:
    """What the page's script says, in the reader's language (the refusals by their name)."""
    return {
        "mismatch": _("The two new passphrases differ."),
        "working": _("Working on your device… (a few seconds)"),
        "sending": _("Sending the encrypted key file. Fingerprint:"),
        "WeakPassphrase": _("A passphrase has at least 12 characters."),
        "WrongPassphrase": _("The current passphrase does not unlock your key."),
        "MalformedKeyFile": _("Your key file could not be read."),
        "failed": _("Your browser could not make the key. Use the panjere command instead."),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def opening_key(request):
    """The member's opening key: its fingerprint, the key file to download, create/change/rotate."""
    _require_member(request.user)
    form = KeyFileForm()
    status = 200
    if request.method == "POST":
        form = KeyFileForm(request.POST, request.FILES)
        if form.is_valid():
            service, done = ACTIONS[form.cleaned_data["action"]]
            try:
                service(actor=request.user, key_file=form.cleaned_data["text"])
            except DomainError as error:
                add_domain_error(form, error, default_field="key_file")
            else:
                messages.success(request, str(done))
                return redirect("tenders:opening_key")
        status = 422
    current = selectors.current_member_key(request.user)
    return render(
        request,
        "tenders/opening_key.html",
        {
            "current": current,
            "retired": [key for key in selectors.member_keys(request.user) if key.retired_at],
            "form": form,
            "key_file_json": current.key_file if current else "",
            "words": _script_words(),
        },
        status=status,
    )


@login_required
@require_safe
def opening_key_download(request, fingerprint: str):
    """One of the member's own key files, to keep or to unlock on their device."""
    _require_member(request.user)
    key = selectors.member_key_of_user(request.user, fingerprint)
    if key is None:
        raise Http404
    response = HttpResponse(key.key_file, content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="panjere-opening-key-{key.fingerprint[:16]}.json"'
    )
    return response
