"""Outbox handlers of suppliers: the invitation email of a new representative.

Mapped to their topics in settings.OUTBOX_HANDLERS.
"""

from core.models import OutboxMessage

from .emails import send_representative_invitation


def representative_invitation(message: OutboxMessage) -> None:
    payload = message.payload
    send_representative_invitation(
        user_id=payload["user_id"],
        supplier_id=payload["supplier_id"],
        invited_by=payload["invited_by"],
    )
