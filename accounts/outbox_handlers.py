"""Outbox handlers of accounts: the emails behind sign-up, password reset and 2FA enrolment.

Idempotent enough: a message delivered twice sends a second, equally valid link.
"""

from core.models import OutboxMessage
from core.outbox import handler

from .emails import send_email_verification, send_password_reset, send_two_factor_enrolment
from .services import EMAIL_VERIFICATION_TOPIC, PASSWORD_RESET_TOPIC, TWO_FACTOR_ENROLMENT_TOPIC


@handler(EMAIL_VERIFICATION_TOPIC)
def email_verification(message: OutboxMessage) -> None:
    send_email_verification(message.payload["user_id"])


@handler(PASSWORD_RESET_TOPIC)
def password_reset(message: OutboxMessage) -> None:
    send_password_reset(message.payload["user_id"])


@handler(TWO_FACTOR_ENROLMENT_TOPIC)
def two_factor_enrolment(message: OutboxMessage) -> None:
    send_two_factor_enrolment(message.payload["enrolment_id"])
