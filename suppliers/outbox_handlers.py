"""Outbox handlers of suppliers: the invitation email of a new representative."""

from core.models import OutboxMessage
from core.outbox import handler

from .emails import send_representative_invitation
from .services import REPRESENTATIVE_INVITATION_TOPIC


@handler(REPRESENTATIVE_INVITATION_TOPIC)
def representative_invitation(message: OutboxMessage) -> None:
    payload = message.payload
    send_representative_invitation(
        user_id=payload["user_id"],
        supplier_id=payload["supplier_id"],
        invited_by=payload["invited_by"],
    )
