"""The operators' decisions about the outbox, on the record.

Core's outbox does the bookkeeping and imports no app; giving failed messages
another round is a decision someone takes, so it is audited here.
"""

from django.db import transaction

from core import outbox
from core.lock_objects import failed_outbox_messages_for_update

from .services import record


def outbox_requeue(*, actor, message_ids) -> int:
    """Give the failed messages among `message_ids` a new round of attempts; return how many.

    One `outbox.requeued` event per message (its topic and the attempts it had
    used), in the transaction that requeues it.
    """
    with transaction.atomic(durable=True):
        messages = failed_outbox_messages_for_update(message_ids)
        for message in messages:
            record(
                action="outbox.requeued",
                actor=actor,
                obj=message,
                payload={"topic": message.topic, "attempts": message.attempts},
            )
        outbox.requeue(messages=messages)
    return len(messages)
