"""Outbox handlers of accounts: the emails behind sign-up, password reset and 2FA enrolment.

Each prepares its e-mail in the outbox's first transaction and hands it back as
an `OutsideCall`, sent outside any transaction under the message's idempotency
key (its Message-ID): a retried message is the same e-mail, not a second link.
Mapped to their topics in settings.OUTBOX_HANDLERS.
"""

from core.models import OutboxMessage
from core.outbox import OutsideCall, calls_outside

from .emails import prepare_email_verification, prepare_password_reset, prepare_two_factor_enrolment


@calls_outside
def email_verification(message: OutboxMessage) -> OutsideCall | None:
    return prepare_email_verification(message.payload["user_id"])


@calls_outside
def password_reset(message: OutboxMessage) -> OutsideCall | None:
    return prepare_password_reset(message.payload["user_id"])


@calls_outside
def two_factor_enrolment(message: OutboxMessage) -> OutsideCall | None:
    return prepare_two_factor_enrolment(message.payload["enrolment_id"])
