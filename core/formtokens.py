"""One-time form tokens: a form sent twice acts once.

Every form that creates or decides something carries a hidden `form_token`
(the `{% form_token %}` tag): a nonce, the user it was issued to and when,
signed with the site's key. The view is wrapped in `once_per_form_token`: the
first submission of a token records its nonce in `UsedFormToken` (a unique
column, so two submissions racing each other cannot both pass) and, when the
view answers with a redirect, where it went. A second submission of the same
token (a double click, a reload, the back button) does not reach the view: it
is sent where the first one went, with a message that the form had already
been sent.

A view that acts without answering with a redirect (one that shows a secret
once) says so with `applied(request, url)`. A submission the view refuses (a
form error, a permission refusal) releases its token, so the corrected form
can be sent again. A token that was tampered with, is older than
FORM_TOKEN_MAX_AGE or was issued to someone else is refused with a 400 page
and nothing done. A POST without a token (a script,
an older page) is handled as before: the token protects people's browsers.
"""

import datetime
import functools
import secrets

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import UsedFormToken

FIELD = "form_token"
SALT = "panjere.form-token"
REDIRECTS = (301, 302, 303, 307, 308)


class InvalidFormToken(Exception):
    """A token that was altered, has expired, or belongs to someone else."""


def max_age() -> int:
    return settings.FORM_TOKEN_MAX_AGE


def _user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def issue(request) -> str:
    """A new token for one rendering of one form, bound to the signed-in user."""
    return signing.dumps([secrets.token_urlsafe(16), _user_id(request)], salt=SALT)


def read(request, token: str) -> str:
    """The token's nonce, or InvalidFormToken."""
    try:
        nonce, user_id = signing.loads(token, salt=SALT, max_age=max_age())
    except (signing.BadSignature, ValueError, TypeError):
        raise InvalidFormToken from None
    if not isinstance(nonce, str) or user_id != _user_id(request):
        raise InvalidFormToken
    return nonce


def claim(request, nonce: str) -> UsedFormToken | None:
    """Record the nonce as used; None when this submission is the first, else the first's row."""
    try:
        with transaction.atomic():
            UsedFormToken.objects.create(nonce=nonce, user_id=_user_id(request))
    except IntegrityError:
        return UsedFormToken.objects.filter(nonce=nonce).first() or UsedFormToken(nonce=nonce)
    return None


def applied(request, url: str) -> None:
    """Tell `once_per_form_token` that the view acted although it answers without a redirect.

    (A page that shows a secret once, for example.) A second submission of the
    token is then sent to `url`.
    """
    request.form_token_result = url


def record_result(nonce: str, url: str) -> None:
    UsedFormToken.objects.filter(nonce=nonce).update(result_url=url[:2000])


def release(nonce: str) -> None:
    """Forget the nonce: the view refused, so sending the form again is a new try."""
    UsedFormToken.objects.filter(nonce=nonce).delete()


def sweep(now=None) -> int:
    """Delete the tokens too old to be sent again (their signature has expired anyway)."""
    now = now or timezone.now()
    before = now - datetime.timedelta(seconds=max_age())
    deleted, _ = UsedFormToken.objects.filter(created_at__lt=before).delete()
    return deleted


def _safe(request, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _already_sent(request, used: UsedFormToken):
    if used.result_url and _safe(request, used.result_url):
        messages.info(request, _("This form had already been sent; it was not sent again."))
        return redirect(used.result_url)
    # The first submission is still being handled (or was refused a moment ago).
    back = request.headers.get("Referer", "")
    return render(
        request,
        "core/form_already_sent.html",
        {"back_url": back if _safe(request, back) else ""},
        status=409,
    )


def once_per_form_token(view):
    """Apply a POST carrying a form token at most once; see the module's docstring."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST" or FIELD not in request.POST:
            return view(request, *args, **kwargs)
        try:
            nonce = read(request, request.POST[FIELD])
        except InvalidFormToken:
            back = request.headers.get("Referer", "")
            return render(
                request,
                "core/form_token_refused.html",
                {"back_url": back if _safe(request, back) else ""},
                status=400,
            )
        used = claim(request, nonce)
        if used is not None:
            return _already_sent(request, used)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release(nonce)
            raise
        if response.status_code in REDIRECTS:
            record_result(nonce, response["Location"])
        elif getattr(request, "form_token_result", None):
            record_result(nonce, request.form_token_result)
        else:
            release(nonce)
        return response

    return wrapped
