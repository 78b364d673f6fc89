"""The transactional outbox: side effects leave only after the commit that caused them.

A service calls `enqueue(topic=..., payload=...)` inside its transaction. The
row commits (or rolls back) with the service's own writes; after the commit
the message is handed to Celery (`core.tasks.outbox_dispatch`), which runs the
topic's handler through `process`. If the broker is down, nothing fails: the
message waits for the beat sweep (`core.tasks.outbox_sweep`), which also
retries failed handlers with a growing delay until OUTBOX_MAX_ATTEMPTS.

Which function handles each topic is one explicit map, `settings.OUTBOX_HANDLERS`
(topic → dotted path of a function in `<app>/outbox_handlers.py`), read when a
message is processed: core imports no app, and nothing registers itself at
start-up. A handler takes the `OutboxMessage`, runs inside the transaction that
marks the message processed, and must be idempotent: a message can be
delivered more than once.

A handler that calls the outside world (mail now, the payment gateway next) is
marked `@calls_outside` and runs in three steps, so no database transaction is
held open across a network call and no call is made from inside one:

1. in a first transaction it reads what it needs and returns an `OutsideCall`
   (or None when there is nothing to send); the message is marked `sending`
   with a lease (`OUTBOX_LEASE_SECONDS`) and that transaction commits;
2. `OutsideCall.send(idempotency_key)` runs outside any transaction; the key is
   the message's own (`idempotency_key`), so a retry after a crash is the same
   call to the outside world (a mail's Message-ID, Stripe's Idempotency-Key);
3. in a second transaction `OutsideCall.record(result)` writes what came back and
   the message is marked processed. A failed call is recorded there as a failure
   and retried by the sweep with the same key; a worker that died mid-call leaves
   its lease to expire, and the sweep hands the message out again.

Payloads hold ids and public values only: never a password, token, key,
recovery code or bid plaintext. A task's only argument is the message id.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .lock_objects import pending_outbox_message_for_update, sending_outbox_message_for_update
from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxMessage], None]

# How much of a failing handler's error text is kept on the message.
ERROR_MAX_CHARS = 2000


# Key names that would carry a secret: refused in any payload (defence in depth;
# the rule is that payloads hold ids and public values only).
SECRET_KEY_WORDS = ("password", "passphrase", "secret", "plaintext", "recovery_code", "private_key")
SECRET_KEYS = {"token", "raw_token", "otp", "otp_token", "api_token"}


class SecretInPayload(ValueError):
    """A payload key names a secret: a programming error."""


class OutsideTransaction(RuntimeError):
    """`enqueue` was called outside `transaction.atomic()`: a programming error."""


class UnknownTopic(LookupError):
    """No handler is registered for the message's topic."""


@dataclass(frozen=True)
class OutsideCall:
    """The call a `@calls_outside` handler prepared in its first transaction.

    `send(idempotency_key)` runs outside any transaction and returns what the
    outside world answered; `record(result)`, when given, writes it in the second
    transaction. Neither may be stored: they may hold a link's token in memory.
    """

    send: Callable[[str], object]
    record: Callable[[object], None] | None = None


def calls_outside(handler: Callable[[OutboxMessage], OutsideCall | None]):
    """Mark a handler whose work is a call to the outside world (see the module's text)."""
    handler.calls_outside = True
    return handler


def idempotency_key(message: OutboxMessage) -> str:
    """The key an outside call carries, the same on every attempt of one message."""
    return f"panjere-outbox-{message.pk}"


def handler_for(topic: str) -> Handler:
    """The function `settings.OUTBOX_HANDLERS` names for `topic`; UnknownTopic if none."""
    path = settings.OUTBOX_HANDLERS.get(topic)
    if path is None:
        raise UnknownTopic(f"No outbox handler for topic {topic!r}.")
    return import_string(path)


def registered_topics() -> list[str]:
    return sorted(settings.OUTBOX_HANDLERS)


def enqueue(*, topic: str, payload: dict) -> OutboxMessage:
    """Write an outbox message in the current transaction; dispatch it after the commit.

    Must be called inside `transaction.atomic()` (every service runs in one),
    so that the message exists if and only if the service's writes do.
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction("core.outbox.enqueue must be called inside transaction.atomic().")
    _refuse_secrets(payload)
    message = OutboxMessage.objects.create(topic=topic, payload=payload)
    transaction.on_commit(partial(dispatch, message.pk))
    return message


def _refuse_secrets(value, path: str = "payload") -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            name = str(key).lower()
            if name in SECRET_KEYS or any(word in name for word in SECRET_KEY_WORDS):
                raise SecretInPayload(f"{path}[{key!r}] looks like a secret; pass an id instead.")
            _refuse_secrets(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _refuse_secrets(item, f"{path}[{index}]")


def dispatch(message_id: int) -> bool:
    """Hand the message to a Celery worker. Never raises: the sweep catches up.

    Returns whether the broker accepted it. Called after commit, so a broker
    that is down must not turn a committed request into an error.
    """
    from .tasks import outbox_dispatch  # the outbox is the one place that knows tasks

    try:
        outbox_dispatch.delay(message_id)
    except Exception:  # the broker's errors vary (kombu, redis, socket): all are survivable
        logger.warning(
            "Outbox message %s was not dispatched; the sweep will retry it.",
            message_id,
            exc_info=True,
        )
        return False
    return True


def process(message_id: int) -> bool:
    """Run the message's handler once, if it is still pending. Return whether it ran.

    The row is locked for the run (other workers skip it); the handler's writes
    and the processed mark commit together. A handler that raises leaves its
    writes rolled back, the error text on the message and a later
    `available_at` for the sweep; after OUTBOX_MAX_ATTEMPTS the message is
    marked failed and stays visible in the admin. A `@calls_outside` handler
    makes its call between two transactions (`_process_outside_call`).
    """
    with transaction.atomic():
        message = pending_outbox_message_for_update(message_id)
        if message is None:
            # Already processed or failed, being processed by another worker, or gone.
            return False
        try:
            handler = handler_for(message.topic)
            with transaction.atomic():
                outcome = handler(message)
        except Exception as exc:  # any handler error is recorded and retried by the sweep
            _record_failure(message, exc)
            return False
        if getattr(handler, "calls_outside", False) and outcome is not None:
            message.status = OutboxStatus.SENDING
            message.available_at = timezone.now() + datetime.timedelta(
                seconds=settings.OUTBOX_LEASE_SECONDS
            )
            message.save(update_fields=["status", "available_at"])
        else:
            _mark_processed(message)
            return True
    return _process_outside_call(message_id, outcome, idempotency_key(message))


def _process_outside_call(message_id: int, call: OutsideCall, key: str) -> bool:
    """Steps 2 and 3 of a `@calls_outside` handler: the call, then its record."""
    try:
        result = call.send(key)
    except Exception as exc:  # the outside world's errors vary: all are recorded and retried
        with transaction.atomic():
            message = sending_outbox_message_for_update(message_id)
            if message is not None:
                _record_failure(message, exc)
        return False
    with transaction.atomic():
        message = sending_outbox_message_for_update(message_id)
        if message is None:
            # The lease ran out and another worker took the message over: it made the
            # same call with the same key, and records it.
            logger.warning("Outbox message %s was taken over while it was sent.", message_id)
            return False
        if call.record is not None:
            call.record(result)
        _mark_processed(message)
    return True


def _mark_processed(message: OutboxMessage) -> None:
    message.attempts += 1
    message.status = OutboxStatus.PROCESSED
    message.processed_at = timezone.now()
    message.last_error = ""
    message.save(update_fields=["attempts", "status", "processed_at", "last_error"])


def _record_failure(message: OutboxMessage, exc: Exception) -> None:
    now = timezone.now()
    message.attempts += 1
    # The exception's type and text only: handlers never put secrets in messages.
    message.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        message.status = OutboxStatus.FAILED
        logger.error(
            "Outbox message %s (%s) failed %s times and is given up: %s",
            message.pk,
            message.topic,
            message.attempts,
            message.last_error,
        )
    else:
        message.status = OutboxStatus.PENDING
        message.available_at = now + retry_delay(message.attempts)
        logger.warning(
            "Outbox message %s (%s) failed (attempt %s), retried after %s: %s",
            message.pk,
            message.topic,
            message.attempts,
            message.available_at.isoformat(),
            message.last_error,
        )
    message.save(update_fields=["attempts", "last_error", "status", "available_at"])


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff after the `attempts`-th failure, capped."""
    base = settings.OUTBOX_RETRY_BACKOFF_SECONDS
    seconds = min(base * 2 ** (attempts - 1), settings.OUTBOX_RETRY_BACKOFF_MAX_SECONDS)
    return datetime.timedelta(seconds=seconds)


def due_messages(*, now: datetime.datetime | None = None, limit: int = 500):
    """Pending messages the sweep should (re)dispatch now, oldest first."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OUTBOX_SWEEP_AFTER_SECONDS)
    return (
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, created_at__lte=cutoff, available_at__lte=now
        )
        .exclude(swept_at__gt=cutoff)
        .order_by("available_at", "pk")[:limit]
    )


def sweep(*, limit: int = 500) -> int:
    """Re-dispatch every pending message whose dispatch was lost or whose retry is due.

    Returns how many the broker accepted.
    """
    now = timezone.now()
    # A worker that died during an outside call leaves its lease behind: once it ran
    # out, the message is pending again (its retry makes the same call, same key).
    OutboxMessage.objects.filter(status=OutboxStatus.SENDING, available_at__lte=now).update(
        status=OutboxStatus.PENDING
    )
    ids = list(due_messages(now=now, limit=limit).values_list("pk", flat=True))
    if not ids:
        return 0
    OutboxMessage.objects.filter(pk__in=ids).update(swept_at=now)
    return sum(dispatch(message_id) for message_id in ids)


def requeue(*, messages) -> None:
    """Give failed `messages`, locked by the caller, a new round of attempts after the commit.

    Plain bookkeeping, in the caller's transaction: the operator's decision to
    requeue is audited by `audit.outbox.outbox_requeue`, which locks the
    messages (`core.lock_objects.failed_outbox_messages_for_update`) and calls
    this.
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction("core.outbox.requeue must be called inside transaction.atomic().")
    now = timezone.now()
    for message in messages:
        message.status = OutboxStatus.PENDING
        message.attempts = 0
        message.available_at = now
        message.swept_at = None
        message.save(update_fields=["status", "attempts", "available_at", "swept_at"])
        transaction.on_commit(partial(dispatch, message.pk))
