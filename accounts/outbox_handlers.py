"""Outbox handlers of accounts: the emails behind sign-up and password reset.

Idempotent enough: a message delivered twice sends a second, equally valid link.
Mapped to their topics in settings.OUTBOX_HANDLERS.
"""

from core.models import OutboxMessage

from .emails import send_email_verification, send_password_reset


def email_verification(message: OutboxMessage) -> None:
    send_email_verification(message.payload["user_id"])


def password_reset(message: OutboxMessage) -> None:
    send_password_reset(message.payload["user_id"])
