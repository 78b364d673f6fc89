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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from core import signing

from . import merkle
from .chain import (
    BODY_FIELDS,
    body_hash,
    canonical_json,
    chain_hash,
    format_time,
    leaf_input,
)
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


class _Walk:
    """The running state of a walk: the chain's last hash and the tree's frontier."""

    def __init__(self):
        self.count, self.last_seq, self.last_hash = 0, 0, GENESIS_HASH
        self.frontier: list[bytes] = []
        self.closed: list[tuple[int, int, bytes]] = []

    def report(self, broken_at=None, problem="", checkpoints=0) -> ChainReport:
        root = merkle.frontier_root(self.frontier).hex()
        return ChainReport(self.count, self.last_hash, broken_at, problem, root, checkpoints)


def _bodies(rows: Iterable[tuple]) -> Iterator[tuple[dict, str]]:
    for row in rows:
        body = dict(zip(BODY_FIELDS, row[:-1], strict=True))
        body["recorded_at"] = format_time(body["recorded_at"])
        yield body, row[-1]


def _walk(
    items: Iterable[tuple[dict, str]],
    *,
    contiguous: bool = True,
    checkpoints: Iterable[CheckpointCopy] = (),
    on_closed=None,
) -> ChainReport:
    """Check (hashed fields, stored hash) pairs in order; build the tree; match checkpoints."""
    walk = _Walk()
    pending = iter(sorted(checkpoints, key=lambda checkpoint: checkpoint.size))
    checkpoint = next(pending, None)
    matched = 0
    for body, stored_hash in items:
        seq = body["seq"]
        if contiguous and seq != walk.last_seq + 1:
            problem = "missing" if seq > walk.last_seq + 1 else "out_of_order"
            return walk.report(walk.last_seq + 1, problem, matched)
        if not contiguous and seq <= walk.last_seq:
            return walk.report(seq, "out_of_order", matched)
        if contiguous and body["prev_hash"] != walk.last_hash:
            return walk.report(seq, "relinked", matched)
        try:
            canonical = canonical_json(body)
            altered = chain_hash(body["prev_hash"], canonical) != stored_hash
        except (KeyError, TypeError, ValueError):  # a field missing, not hex, or not JSON
            altered = True
        if altered:
            return walk.report(seq, "altered", matched)
        walk.count, walk.last_seq, walk.last_hash = walk.count + 1, seq, stored_hash
        if not contiguous:
            continue
        leaf = merkle.leaf_hash(leaf_input(stored_hash, canonical))
        walk.frontier, closed = merkle.frontier_append(walk.frontier, seq - 1, leaf)
        if on_closed is not None:
            problem = on_closed(closed, seq)
            if problem:
                return walk.report(problem, "tree", matched)
        while checkpoint is not None and checkpoint.size == seq:
            if merkle.frontier_root(walk.frontier).hex() != checkpoint.root_hash:
                return walk.report(seq, "rewritten", matched)
            matched += 1
            checkpoint = next(pending, None)
    if checkpoint is not None:
        return walk.report(walk.last_seq + 1, "truncated", matched)
    return walk.report(checkpoints=matched)


class _StoredTree:
    """Compares the subtrees a walk completes with those stored, a batch at a time."""

    def __init__(self, batch: int):
        self.batch = batch
        self.waiting: dict[tuple[int, int], tuple[bytes, int]] = {}
        self.compared = 0

    def __call__(self, closed, seq) -> int | None:
        for level, index, node in closed:
            if level >= MerkleNode.STORED_LEVEL:
                self.waiting[(level, index)] = (node, seq)
        if len(self.waiting) >= self.batch:
            return self.flush()
        return None

    def flush(self) -> int | None:
        if not self.waiting:
            return None
        stored = {
            (node.level, node.index): bytes(node.hash)
            for node in MerkleNode.objects.filter(pk__in=list(self.waiting))
        }
        for key, (node, seq) in sorted(self.waiting.items(), key=lambda item: item[1][1]):
            if stored.get(key) != node:
                return seq
        self.compared += len(self.waiting)
        self.waiting = {}
        return None


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
    rows = (
        Event.objects.filter(seq__lte=head.seq)
        .order_by("seq")
        .values_list(*_COLUMNS)
        .iterator(chunk_size=chunk_size)
    )
    tree = _StoredTree(batch=chunk_size)
    report = _walk(_bodies(rows), checkpoints=[*stored_checkpoints, *outside], on_closed=tree)
    if not report.intact:
        return report
    bad = tree.flush()
    if bad is not None:
        return ChainReport(report.count, report.head, bad, "tree", report.root)
    if report.count != head.seq:
        return ChainReport(report.count, report.head, report.count + 1, "missing", report.root)
    if report.head != head.hash:
        return ChainReport(report.count - 1, report.head, head.seq, "head", report.root)
    if merkle.frontier_root(merkle.frontier_unpack(bytes(head.frontier))).hex() != report.root:
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
