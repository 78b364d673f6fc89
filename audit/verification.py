"""Re-check the whole trail: chain, Merkle tree, chain head and signed checkpoints.

The walk reads the events in sequence order through a server-side cursor, so
it runs in constant memory however long the trail is. It recomputes every
hash and, from them, the Merkle tree, and stops at the first problem:

- ``altered``: the event's content no longer matches its hash;
- ``missing``: a sequence number is absent (the event was removed);
- ``relinked``: the event's previous hash is not the hash of the event before
  it (events removed or reordered);
- ``out_of_order``: sequence numbers not ascending;
- ``head_missing``: the chain head row is gone (the trail was emptied or restarted);
- ``head``: the chain head disagrees with the last event (events removed at
  the end, or the tail rewritten);
- ``unaccounted``: an event lies beyond the chain head (written around `record`);
- ``tree``: a stored Merkle subtree does not match the events under it;
- ``signature``: a stored checkpoint's signature does not verify with any key
  of the platform;
- ``rewritten``: the first N events no longer hash to the root a checkpoint
  signed for size N: the trail was rewritten (with recomputed hashes) after it;
- ``truncated``: a checkpoint covers more events than the trail now holds.

What the database's owner can do around the triggers (rewrite from any point
with every hash recomputed, truncate and restart) is caught here against the
checkpoints signed before it, and against copies of them kept outside the
platform (`checkpoints=`, `manage.py audit verify --checkpoint FILE`,
`panjere-verify`).
"""

import base64
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from hashlib import sha256

from django.db import connection
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core import signing

from . import merkle
from .chain import BODY_FIELDS, body_hash, canonical_json, format_time
from .models import GENESIS_HASH, ChainHead, Checkpoint, Event, MerkleNode

REASONS = {
    "altered": _("the event's content does not match its hash (altered)"),
    "missing": _("the event is missing (removed)"),
    "relinked": _(
        "the event's previous hash is not the hash of the event before it (removed or reordered)"
    ),
    "out_of_order": _("the sequence numbers are not in ascending order (reordered)"),
    "head_missing": _("the chain head is missing (the trail was emptied or restarted)"),
    "head": _(
        "the chain head does not match the last event (events removed at the end, or rewritten)"
    ),
    "unaccounted": _(
        "the event is not accounted for by the chain head (written outside the chain)"
    ),
    "tree": _("a stored Merkle subtree does not match the events under it"),
    "signature": _("a checkpoint's signature does not verify with any key of the platform"),
    "rewritten": _(
        "the events up to here do not match the checkpoint signed for this size (rewritten "
        "after it was signed)"
    ),
    "truncated": _("a signed checkpoint covers events that are no longer on the trail (removed)"),
}

# The event fields a verification reads, in `BODY_FIELDS` order, then the hash.
_COLUMNS = (
    "seq",
    "recorded_at",
    "actor_id",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "payload",
    "reason",
    "prev_hash",
    "hash",
)


@dataclass(frozen=True)
class CheckpointCopy:
    """A signed checkpoint, from the database or from a copy kept elsewhere."""

    log: str
    size: int
    root_hash: str
    recorded_at: str
    key_id: str
    signature: str

    @classmethod
    def from_model(cls, checkpoint: Checkpoint) -> "CheckpointCopy":
        return cls(
            log=checkpoint.log,
            size=checkpoint.size,
            root_hash=checkpoint.root_hash,
            recorded_at=format_time(checkpoint.recorded_at),
            key_id=checkpoint.key_id,
            signature=checkpoint.signature,
        )

    @classmethod
    def from_json(cls, data: dict) -> "CheckpointCopy":
        return cls(**{field: data[field] for field in cls.__dataclass_fields__})

    def as_json(self) -> dict:
        return {field: getattr(self, field) for field in self.__dataclass_fields__}

    def body(self) -> dict:
        return {key: value for key, value in self.as_json().items() if key != "signature"}

    def signature_valid(self) -> bool:
        key = signing.find_key(self.key_id)
        if key is None:
            return False
        try:
            base64.b64decode(self.signature, validate=True)
        except ValueError:
            return False
        return key.verify(canonical_json(self.body()), self.signature)


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification."""

    # How many events were found good (before the break, if any).
    count: int
    # The hash of the last good event (the genesis hash when there is none).
    head: str
    broken_at: int | None = None
    problem: str = ""
    # The Merkle root of the good events, and how many checkpoints they matched.
    root: str = ""
    checkpoints: int = 0

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.problem

    @property
    def reason(self) -> str:
        return str(REASONS[self.problem]) if self.problem else ""


def _node(left: bytes, right: bytes) -> bytes:
    return sha256(b"\x01" + left + right).digest()


def _fold(stack: list[bytes]) -> bytes:
    """The Merkle root of a frontier (the perfect subtrees, largest first)."""
    if not stack:
        return merkle.EMPTY_ROOT
    root = stack[-1]
    for left in reversed(stack[:-1]):
        root = _node(left, root)
    return root


def _walk(
    items: Iterable[tuple[dict, str]],
    *,
    contiguous: bool = True,
    checkpoints: Iterable[CheckpointCopy] = (),
    stored_nodes: Iterator[tuple[int, int, bytes]] | None = None,
) -> ChainReport:
    """Check (hashed fields, stored hash) pairs in order; build the tree; match checkpoints.

    The tree is kept as its frontier, merged leaf by leaf as `audit.merkle`
    does, inlined here because it runs once per event of the whole trail.
    `stored_nodes`, when given, yields the stored subtrees in the order they
    close ((index + 1) · 2^level, then level): each one the walk completes must
    be the next one there.
    """
    pending = iter(sorted(checkpoints, key=lambda checkpoint: checkpoint.size))
    checkpoint = next(pending, None)
    matched, count, last_seq, last_hash, stack = 0, 0, 0, GENESIS_HASH, []
    stored_level = MerkleNode.STORED_LEVEL

    def report(broken_at=None, problem=""):
        return ChainReport(count, last_hash, broken_at, problem, _fold(stack).hex(), matched)

    for body, stored_hash in items:
        seq = body["seq"]
        if contiguous and seq != last_seq + 1:
            return report(last_seq + 1, "missing" if seq > last_seq + 1 else "out_of_order")
        if not contiguous and seq <= last_seq:
            return report(seq, "out_of_order")
        if contiguous and body["prev_hash"] != last_hash:
            return report(seq, "relinked")
        try:
            canonical = canonical_json(body)
            hash_bytes = sha256(bytes.fromhex(body["prev_hash"]) + canonical).digest()
            altered = hash_bytes.hex() != stored_hash
        except (KeyError, TypeError, ValueError):  # a field missing, not hex, or not JSON
            altered = True
        if altered:
            return report(seq, "altered")
        count, last_seq, last_hash = count + 1, seq, stored_hash
        if not contiguous:
            continue
        node, size, level = sha256(b"\x00" + hash_bytes + canonical).digest(), seq - 1, 0
        while size & 1:
            node, size, level = _node(stack.pop(), node), size >> 1, level + 1
            if level >= stored_level and stored_nodes is not None:
                expected = ((seq - 1) >> level, node)
                found = next(stored_nodes, None)
                if found is None or (found[0], found[1], found[2]) != (level, *expected):
                    return report(seq, "tree")
        stack.append(node)
        while checkpoint is not None and checkpoint.size == seq:
            if _fold(stack).hex() != checkpoint.root_hash:
                return report(seq, "rewritten")
            matched += 1
            checkpoint = next(pending, None)
    if checkpoint is not None:
        return report(last_seq + 1, "truncated")
    return report()


# On PostgreSQL the walk reads text straight from a server-side cursor: the time
# already in the hashed format, the payload as JSON text parsed once here.
_EVENTS_SQL = """
SELECT seq, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       actor_id, organisation_id, role, action, object_type, object_id, object_repr,
       payload::text, reason, prev_hash, hash
FROM audit_event WHERE seq <= %s ORDER BY seq
"""
_NODES_SQL = """
SELECT level, index, hash FROM audit_merklenode
WHERE ((index + 1) << level) <= %s ORDER BY ((index + 1) << level), level
"""


def _rows(sql: str, params, chunk_size: int) -> Iterator[tuple]:
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def _event_bodies(size: int, chunk_size: int) -> Iterator[tuple[dict, str]]:
    if connection.vendor == "postgresql":
        for row in _rows(_EVENTS_SQL, [size], chunk_size):
            body = dict(zip(BODY_FIELDS, row[:-1], strict=True))
            body["payload"] = json.loads(body["payload"])
            yield body, row[-1]
        return
    rows = (
        Event.objects.filter(seq__lte=size)
        .order_by("seq")
        .values_list(*_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        body = dict(zip(BODY_FIELDS, row[:-1], strict=True))
        body["recorded_at"] = format_time(body["recorded_at"])
        yield body, row[-1]


def _stored_nodes(size: int, chunk_size: int) -> Iterator[tuple[int, int, bytes]]:
    if connection.vendor == "postgresql":
        for level, index, node in _rows(_NODES_SQL, [size], chunk_size):
            yield level, index, bytes(node)
        return
    nodes = [
        (level, index, bytes(node))
        for level, index, node in MerkleNode.objects.values_list("level", "index", "hash")
        if (index + 1) << level <= size
    ]
    yield from sorted(nodes, key=lambda node: ((node[1] + 1) << node[0], node[0]))


def _expected_nodes(size: int) -> int:
    level, count = MerkleNode.STORED_LEVEL, 0
    while size >> level:
        count += size >> level
        level += 1
    return count


def verify_chain(
    *, chunk_size: int = 2000, checkpoints: Iterable[CheckpointCopy] = ()
) -> ChainReport:
    """Walk the whole trail in sequence order and report the first problem.

    Appends are serialised on the chain head and commit in sequence order, so
    every event up to the head read first is committed: events appended while
    the walk runs are left for the next run and never reported as a break.
    Every checkpoint stored in the database is checked (its signature, and its
    root against the events), and so are `checkpoints` kept elsewhere.
    """
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        return ChainReport(0, GENESIS_HASH, 1, "head_missing")
    stored_checkpoints = [
        CheckpointCopy.from_model(checkpoint)
        for checkpoint in Checkpoint.objects.filter(size__lte=head.seq).order_by("size")
    ]
    outside = list(checkpoints)
    for checkpoint in [*stored_checkpoints, *outside]:
        if not checkpoint.signature_valid():
            return ChainReport(0, GENESIS_HASH, checkpoint.size, "signature")
    nodes = _stored_nodes(head.seq, chunk_size)
    report = _walk(
        _event_bodies(head.seq, chunk_size),
        checkpoints=[*stored_checkpoints, *outside],
        stored_nodes=nodes,
    )
    if not report.intact:
        return report
    if report.count != head.seq:
        return ChainReport(report.count, report.head, report.count + 1, "missing", report.root)
    if report.head != head.hash:
        return ChainReport(report.count - 1, report.head, head.seq, "head", report.root)
    frontier_root = merkle.frontier_root(merkle.frontier_unpack(bytes(head.frontier)))
    if frontier_root.hex() != report.root or next(nodes, None) is not None:
        return ChainReport(report.count, report.head, head.seq, "tree", report.root)
    if MerkleNode.objects.count() != _expected_nodes(head.seq):
        return ChainReport(report.count, report.head, head.seq, "tree", report.root)
    # Read the highest sequence number after the head: an append committing in
    # between moves the head past it, never the reverse.
    highest = Event.objects.aggregate(highest=Max("seq"))["highest"] or 0
    head_now = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    if highest > head_now:
        return ChainReport(report.count, report.head, head_now + 1, "unaccounted", report.root)
    return report


def verify_records(records: Iterable[dict], *, contiguous: bool = True) -> ChainReport:
    """Verify exported events (dicts with every hashed field and `hash`).

    A full export is checked as a chain from sequence 1. A filtered export
    (`contiguous=False`) has gaps by design: then each event's own hash is
    checked, and that the sequence numbers ascend.
    """
    return _walk(
        (({k: v for k, v in record.items() if k != "hash"}, record["hash"]) for record in records),
        contiguous=contiguous,
    )


__all__ = ["ChainReport", "CheckpointCopy", "body_hash", "verify_chain", "verify_records"]
