"""Row locks of core's tables: every `SELECT … FOR UPDATE` of core is here, in pk order.

Locking several rows always in ascending primary-key order means two
transactions that lock overlapping sets wait for each other instead of
deadlocking.
"""

from django.db import connection
from django.db.models import QuerySet

from .models import OutboxMessage, OutboxStatus


def skip_locked(queryset: QuerySet) -> QuerySet:
    """`queryset` locked FOR UPDATE, skipping rows another transaction holds where supported.

    SQLite has no row locks (it serialises writers), so there it is a plain lock.
    """
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True)
    return queryset.select_for_update()


def pending_outbox_message_for_update(message_id: int) -> OutboxMessage | None:
    """The message if it is still pending and no other worker holds it, locked; else None."""
    return skip_locked(
        OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING)
    ).first()


def sending_outbox_message_for_update(message_id: int) -> OutboxMessage | None:
    """The message if it is still being sent (its lease held), locked; else None."""
    return (
        OutboxMessage.objects.select_for_update()
        .filter(pk=message_id, status=OutboxStatus.SENDING)
        .first()
    )


def failed_outbox_messages_for_update(message_ids) -> list[OutboxMessage]:
    """The failed messages among `message_ids`, locked in pk order."""
    return list(
        OutboxMessage.objects.select_for_update()
        .filter(pk__in=list(message_ids), status=OutboxStatus.FAILED)
        .order_by("pk")
    )
