"""Celery tasks of the outbox: thin, idempotent, and they take ids only."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import outbox

# Errors that say the database was unreachable for a moment. A handler's own
# errors never reach Celery: `outbox.process` records them on the message.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)


@shared_task(
    name="core.tasks.outbox_dispatch",
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
)
def outbox_dispatch(message_id: int) -> bool:
    """Run the outbox message's handler, unless it already ran."""
    return outbox.process(message_id)


@shared_task(name="core.tasks.outbox_sweep", autoretry_for=TRANSIENT_ERRORS, max_retries=2)
def outbox_sweep() -> int:
    """Re-dispatch outbox messages whose dispatch was lost or whose retry is due."""
    return outbox.sweep()


@shared_task(name="core.tasks.one_time_tokens_sweep", autoretry_for=TRANSIENT_ERRORS, max_retries=2)
def one_time_tokens_sweep() -> int:
    """Forget used form tokens and idempotency keys older than their maximum age."""
    from . import formtokens, idempotency

    return formtokens.sweep() + idempotency.sweep()
