"""Outbox handlers of suppliers: the invitation email of a new representative.

Mapped to their topics in settings.OUTBOX_HANDLERS.
"""

from core.models import OutboxMessage
from core.outbox import OutsideCall, calls_outside

from .emails import prepare_representative_invitation


@calls_outside
def representative_invitation(message: OutboxMessage) -> OutsideCall | None:
    payload = message.payload
    return prepare_representative_invitation(
        user_id=payload["user_id"],
        supplier_id=payload["supplier_id"],
        invited_by=payload["invited_by"],
    )
