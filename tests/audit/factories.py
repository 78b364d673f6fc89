"""Building and tampering with audit trails in tests."""

import contextlib
import datetime
import hashlib
import json

import pgtrigger
from django.db import models

from audit.models import ChainHead, Event
from audit.services import record

# The hashed fields besides the hash itself, in the order the export writes them.
BODY_FIELDS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "payload",
    "reason",
    "prev_hash",
)


def expected_hash(body: dict) -> str:
    """SHA-256(prev_hash bytes || canonical JSON), written out again for the tests."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(bytes.fromhex(body["prev_hash"]) + canonical.encode("utf-8")).hexdigest()


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def expected_body(event: Event) -> dict:
    return {
        "seq": event.seq,
        "recorded_at": utc_text(event.recorded_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "organisation_id": event.organisation_id,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "payload": event.payload,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }


def make_events(count: int, *, action: str = "test.happened") -> list[Event]:
    return [record(action=action, payload={"n": n}) for n in range(1, count + 1)]


@contextlib.contextmanager
def tampering():
    """Switch the append-only triggers off (PostgreSQL) and bypass the model's refusals.

    Yields a plain queryset of events: it has none of EventQuerySet's guards.
    """
    with pgtrigger.ignore(
        "audit.Event:append_only", "audit.ChainHead:keep_head", "audit.ChainHead:head_forward_only"
    ):
        yield models.QuerySet(Event)


def swap_contents(first: int, second: int) -> None:
    """Swap every column but the sequence number between two events."""
    columns = [*BODY_FIELDS[1:], "hash"]
    with tampering() as events:
        a = events.filter(seq=first).values(*columns).get()
        b = events.filter(seq=second).values(*columns).get()
        # The hash is unique: park one while the other moves.
        events.filter(seq=first).update(**{**b, "hash": "f" * 64})
        events.filter(seq=second).update(**a)
        events.filter(seq=first).update(hash=b["hash"])


def head() -> tuple[int, str]:
    row = ChainHead.objects.get(pk=1)
    return row.seq, row.hash
