"""Building and tampering with audit trails in tests.

The tampering helpers act as the database's owner would, around every guard:
on the owner's connection, with the audit triggers disabled (PostgreSQL),
through plain querysets without the models' append-only refusals. The
runtime role cannot do any of it (tests/audit/test_append_only.py); what
the owner does is caught by `audit verify` against the signed checkpoints.
They need committed data: use them in `django_db(transaction=True)` tests.
"""

import contextlib
import datetime
import hashlib

import rfc8785
from django.db import connections, models, transaction

from audit import merkle
from audit.models import GENESIS_HASH, ChainHead, Checkpoint, Event, MerkleNode
from audit.services import record

OWNER = "owner"
AUDIT_TABLES = ("audit_event", "audit_chainhead", "audit_merklenode", "audit_checkpoint")

# The hashed fields, in the order the export writes them (docs/audit.md).
BODY_FIELDS = (
    "seq",
    "recorded_at",
    "actor",
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


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def expected_body(event: Event) -> dict:
    return {
        "seq": event.seq,
        "recorded_at": utc_text(event.recorded_at),
        "actor": event.actor_id,
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


def expected_hash(body: dict) -> str:
    """SHA-256(prev_hash bytes || RFC 8785 JSON), written out again with the `rfc8785` package."""
    return hashlib.sha256(bytes.fromhex(body["prev_hash"]) + rfc8785.dumps(body)).hexdigest()


def expected_leaf(body: dict, event_hash: str) -> bytes:
    return merkle.leaf_hash(bytes.fromhex(event_hash) + rfc8785.dumps(body))


def make_events(count: int, *, action: str = "test.happened") -> list[Event]:
    return [record(action=action, payload={"n": n}) for n in range(1, count + 1)]


def head() -> tuple[int, str]:
    row = ChainHead.objects.get(pk=1)
    return row.seq, row.hash


@contextlib.contextmanager
def as_owner():
    """The owner's connection, in a transaction, with the audit triggers off (PostgreSQL).

    Yields plain querysets on the owner's connection, without the models' refusals.
    """
    connection = connections[OWNER]
    with transaction.atomic(using=OWNER):
        _triggers(connection, "DISABLE")
        yield _Unguarded()
        _triggers(connection, "ENABLE")


def _triggers(connection, state: str) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Deferred foreign-key checks must run before a table can be altered again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in AUDIT_TABLES:
            cursor.execute(f"ALTER TABLE {table} {state} TRIGGER USER")


class _Unguarded:
    @property
    def events(self):
        return models.QuerySet(Event).using(OWNER)

    @property
    def heads(self):
        return models.QuerySet(ChainHead).using(OWNER)

    @property
    def nodes(self):
        return models.QuerySet(MerkleNode).using(OWNER)

    @property
    def checkpoints(self):
        return models.QuerySet(Checkpoint).using(OWNER)


def swap_contents(first: int, second: int) -> None:
    """Swap every column but the sequence number between two events."""
    columns = [*BODY_FIELDS[1:], "hash"]
    columns[columns.index("actor")] = "actor_id"
    with as_owner() as db:
        a = db.events.filter(seq=first).values(*columns).get()
        b = db.events.filter(seq=second).values(*columns).get()
        # The hash is unique: park one while the other moves.
        db.events.filter(seq=first).update(**{**b, "hash": "f" * 64})
        db.events.filter(seq=second).update(**a)
        db.events.filter(seq=first).update(hash=b["hash"])


def rebuild_everything(db) -> None:
    """Recompute every hash, the whole Merkle tree and the head from the events' content.

    What an owner who rewrote events must do for the chain and the tree to
    look intact again; only the signed checkpoints can then tell.
    """
    prev, frontier = GENESIS_HASH, []
    db.nodes.all().delete()
    for event in db.events.order_by("seq"):
        body = {**expected_body(event), "prev_hash": prev}
        new_hash = expected_hash(body)
        db.events.filter(seq=event.seq).update(prev_hash=prev, hash=new_hash)
        frontier, closed = merkle.frontier_append(
            frontier, event.seq - 1, expected_leaf(body, new_hash)
        )
        db.nodes.bulk_create(
            [
                MerkleNode(level=level, index=index, hash=node)
                for level, index, node in closed
                if level >= MerkleNode.STORED_LEVEL
            ]
        )
        prev = new_hash
    size = db.events.count()
    db.heads.filter(pk=1).update(seq=size, hash=prev, frontier=merkle.frontier_pack(frontier))
