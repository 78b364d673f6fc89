"""Reading the trail's Merkle tree: roots at any size, inclusion and consistency proofs.

A proof needs the hashes of O(log n) perfect subtrees (`audit.merkle.plan_*`
names them). Those of `MerkleNode.STORED_LEVEL` and above are read in one
query; lower ones are recomputed from the at most 2^STORED_LEVEL events of
their block, in one query per block (a proof touches at most a few blocks).
"""

from collections import defaultdict

from django.db import connection

from . import merkle
from .chain import canonical_json, event_body, leaf_input
from .exceptions import ProofUnavailable
from .models import ChainHead, Event, MerkleNode

STORED_LEVEL = MerkleNode.STORED_LEVEL
# The fields a leaf is computed from (the hashed body and the hash).
LEAF_FIELDS = (
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
BLOCK = 1 << STORED_LEVEL


class TreeDamaged(Exception):
    """A stored subtree the tree needs is missing: the tables were altered."""


def event_leaf_hash(event) -> bytes:
    """The event's Merkle leaf hash, from its stored fields."""
    return merkle.leaf_hash(leaf_input(event.hash, canonical_json(event_body(event))))


def _perfect_root(leaves: list[bytes]) -> bytes:
    level = leaves
    while len(level) > 1:
        level = [merkle.node_hash(level[i], level[i + 1]) for i in range(0, len(level), 2)]
    return level[0]


def subtree_hashes(keys) -> dict[tuple[int, int], bytes]:
    """The hashes of the perfect subtrees `keys` ((level, index) pairs), read in few queries."""
    keys = set(keys)
    found: dict[tuple[int, int], bytes] = {}
    stored = [key for key in keys if key[0] >= STORED_LEVEL]
    if stored:
        for level, index, node in _stored(stored):
            found[(level, index)] = bytes(node)
        if len(found) != len(stored):
            raise TreeDamaged(f"stored subtrees missing: {sorted(set(stored) - set(found))[:5]}")
    by_block = defaultdict(list)
    for level, index in keys:
        if level < STORED_LEVEL:
            by_block[(index << level) >> STORED_LEVEL].append((level, index))
    for block, wanted in by_block.items():
        first = block * BLOCK
        events = Event.objects.filter(seq__gt=first, seq__lte=first + BLOCK).order_by("seq")
        leaves = [event_leaf_hash(event) for event in events.only(*LEAF_FIELDS)]
        for level, index in wanted:
            start = (index << level) - first
            part = leaves[start : start + (1 << level)]
            if len(part) != 1 << level:
                raise TreeDamaged(f"events missing under subtree ({level}, {index})")
            found[(level, index)] = _perfect_root(part)
    return found


def _stored(keys: list[tuple[int, int]]):
    """The stored subtrees named by `keys`, in one query."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT level, index, hash FROM audit_merklenode WHERE (level, index) IN "
                "(SELECT * FROM unnest(%s::smallint[], %s::bigint[]))",
                [[key[0] for key in keys], [key[1] for key in keys]],
            )
            return cursor.fetchall()
    return MerkleNode.objects.filter(pk__in=keys).values_list("level", "index", "hash")


def _source(keys):
    hashes = subtree_hashes(keys)
    return lambda level, index: hashes[(level, index)]


def tree_size() -> int:
    """How many events the committed tree holds."""
    return ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0


def root_at(size: int) -> bytes:
    """The Merkle tree hash of the first `size` events."""
    if not 0 <= size <= tree_size():
        raise ProofUnavailable(params={"size": size})
    return merkle.root_hash(size, _source(merkle.plan_root(size)))


def inclusion_proof(*, seq: int, size: int) -> dict:
    """RFC 9162 §2.1.3 inclusion proof of event `seq` in the tree of `size` events."""
    if not (1 <= seq <= size <= tree_size()):
        raise ProofUnavailable(params={"seq": seq, "tree_size": size})
    index = seq - 1
    path = merkle.inclusion_path(index, size, _source(merkle.plan_inclusion(index, size)))
    leaf = event_leaf_hash(Event.objects.only(*LEAF_FIELDS).get(seq=seq))
    return {
        "seq": seq,
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": leaf.hex(),
        "path": [node.hex() for node in path],
    }


def consistency_proof(*, first: int, second: int) -> dict:
    """RFC 9162 §2.1.4 proof that the tree of `first` events is a prefix of that of `second`."""
    if not (1 <= first <= second <= tree_size()):
        raise ProofUnavailable(params={"first": first, "second": second})
    path = merkle.consistency_path(first, second, _source(merkle.plan_consistency(first, second)))
    return {"first": first, "second": second, "path": [node.hex() for node in path]}
