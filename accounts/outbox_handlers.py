"""Outbox handlers of accounts: the emails behind sign-up, password reset and 2FA enrolment.

Idempotent enough: a message delivered twice sends a second, equally valid link.
Mapped to their topics in settings.OUTBOX_HANDLERS.
"""

from core.models import OutboxMessage

from .emails import send_email_verification, send_password_reset, send_two_factor_enrolment


def email_verification(message: OutboxMessage) -> None:
    send_email_verification(message.payload["user_id"])


def password_reset(message: OutboxMessage) -> None:
    send_password_reset(message.payload["user_id"])


def two_factor_enrolment(message: OutboxMessage) -> None:
    send_two_factor_enrolment(message.payload["enrolment_id"])
