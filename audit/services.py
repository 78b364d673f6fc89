"""Writing to the audit trail. `record` is the only way an event is made."""

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F

from core.clock import db_now

from .chain import event_hash
from .models import ChainHead, Event


def _object_reference(obj) -> tuple[str, str, str]:
    if obj is None:
        return "", "", ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}", str(obj.pk), str(obj)[:300]


def record(
    *,
    action: str,
    actor=None,
    obj=None,
    payload: dict | None = None,
    reason: str = "",
    organisation=None,
    role: str = "",
) -> Event:
    """Append one event to the chain, inside the caller's transaction.

    `actor` is a user or None for the platform itself; `organisation` and
    `role` say in which capacity the actor acted. `payload` must be JSON-able
    (dates and Decimals become strings) and must never hold a secret, a
    passphrase or bid plaintext.

    Appends are serialised by the chain head row: its UPDATE takes a row lock
    on PostgreSQL (the write lock on SQLite) held until the caller commits, so
    concurrent writers always extend one unbroken chain.
    """
    body = json.loads(json.dumps(payload or {}, cls=DjangoJSONEncoder))
    object_type, object_id, object_repr = _object_reference(obj)
    # No savepoint: if the append fails, the caller's transaction fails with it.
    with transaction.atomic(savepoint=False):
        seq, prev_hash, now = _advance_head()
        actor_label = "" if actor is None else actor.email
        event = Event(
            seq=seq,
            recorded_at=now,
            actor=actor,
            actor_label=actor_label,
            organisation=organisation,
            role=role,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            payload=body,
            reason=reason or "",
            prev_hash=prev_hash,
        )
        event.hash = event_hash(event)
        event.save()
        ChainHead.objects.filter(pk=1).update(hash=event.hash)
    return event


def _advance_head() -> tuple[int, str, datetime.datetime]:
    """Lock the chain head and move it on; return the new seq, the previous hash, the time.

    On PostgreSQL one statement takes the row lock, advances the sequence and
    returns the previous hash. The clock is read after the lock is held, so
    times follow the chain's order.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(ChainHead._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET seq = seq + 1 WHERE id = 1 "  # noqa: S608 (a model's table)
                "RETURNING seq, hash"
            )
            row = cursor.fetchone()
        if row is not None:
            return row[0], row[1], db_now()
    elif ChainHead.objects.filter(pk=1).update(seq=F("seq") + 1):
        head = ChainHead.objects.get(pk=1)
        return head.seq, head.hash, db_now()
    # The first append (or the first after a test flush): make the head row,
    # continuing after the last event should only the head have gone; a
    # concurrent first append waits on its key, then both lock it.
    last = Event.objects.order_by("-seq").values("seq", "hash").first()
    start = ChainHead(pk=1, **last) if last else ChainHead(pk=1)
    ChainHead.objects.bulk_create([start], ignore_conflicts=True)
    ChainHead.objects.filter(pk=1).update(seq=F("seq") + 1)
    head = ChainHead.objects.get(pk=1)
    return head.seq, head.hash, db_now()


def hold_chain() -> None:
    """Take the chain head's row lock now, in the caller's transaction, until it commits.

    `record` takes it anyway; a service that locks another row which every
    recording transaction may also lock takes this one first, so that the two
    are always taken in the same order (no deadlock), and that row's changes
    are serialised in the chain's (commit) order. SQLite serialises writers by
    itself.
    """
    ChainHead.objects.select_for_update().filter(pk=1).values_list("pk", flat=True).first()
