"""The emails the suppliers app sends itself. Prepared by its outbox handlers, after commit.

The invitation's link token is made here, when the email goes out, and lives
only in memory: it is never stored in the outbox. The e-mail is sent outside any
transaction (`core.outbox.OutsideCall`) under the message's idempotency key.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core.mail import send_once
from core.outbox import OutsideCall

from .models import Supplier


def prepare_representative_invitation(
    *, user_id: int, supplier_id: int, invited_by: int
) -> OutsideCall | None:
    """The mail that gives a person invited to act for a supplier a link to choose a password.

    None when there is nothing to send: the account is gone, inactive, or
    already has a password (it was set through an earlier invitation).
    """
    user = User.objects.filter(pk=user_id, is_active=True).first()
    supplier = Supplier.objects.filter(pk=supplier_id).first()
    if user is None or supplier is None or user.has_usable_password():
        return None
    inviter = User.objects.filter(pk=invited_by).first()
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", args=[uidb64, token])
    context = {
        "user": user,
        "supplier": supplier,
        "inviter": inviter.name if inviter else "",
        "link": settings.SITE_URL.rstrip("/") + path,
        "timeout_hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        "site_url": settings.SITE_URL,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string("suppliers/email/invitation_subject.txt", context)
        body = render_to_string("suppliers/email/invitation.txt", context)
    address = user.email

    def send(key: str) -> int:
        return send_once(subject=subject, body=body, to=address, idempotency_key=key)

    return OutsideCall(send=send)
