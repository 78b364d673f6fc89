"""Reading the trail's Merkle tree: roots at any size, inclusion and consistency proofs.

A proof needs the hashes of O(log n) perfect subtrees (`audit.merkle.plan_*`
names them). Those of `MerkleNode.STORED_LEVEL` and above are read in one
query; lower ones are recomputed from the at most 2^STORED_LEVEL events of
their block, in one query per block (a proof touches at most a few blocks).
"""

import json
from collections import defaultdict

from django.db import connection

from . import merkle
from .chain import BODY_FIELDS, canonical_json, event_body, leaf_input
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


def subtree_hashes(keys, extra_blocks=()) -> dict:
    """The hashes of the perfect subtrees `keys` ((level, index) pairs), read in two queries.

    The leaves of `extra_blocks` come along under ("block", number).
    """
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
    leaves_of = block_leaves(set(by_block) | set(extra_blocks))
    for block, wanted in by_block.items():
        first, leaves = block * BLOCK, leaves_of[block]
        for level, index in wanted:
            start = (index << level) - first
            part = leaves[start : start + (1 << level)]
            if len(part) != 1 << level:
                raise TreeDamaged(f"events missing under subtree ({level}, {index})")
            found[(level, index)] = _perfect_root(part)
    found.update({("block", block): leaves_of[block] for block in extra_blocks})
    return found


# The hashed fields as text, as verification reads them (audit.verification).
_BLOCK_SQL = """
SELECT seq, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
       actor_id, organisation_id, role, action, object_type, object_id, object_repr,
       payload::text, reason, prev_hash, hash
FROM audit_event WHERE seq = ANY(%s) ORDER BY seq
"""


def block_leaves(blocks) -> dict[int, list[bytes]]:
    """The leaf hashes of the events of each block of 2^STORED_LEVEL, in one query."""
    seqs = [block * BLOCK + offset for block in sorted(blocks) for offset in range(1, BLOCK + 1)]
    leaves = defaultdict(list)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_BLOCK_SQL, [seqs])
            rows = cursor.fetchall()
        for row in rows:
            body = dict(zip(BODY_FIELDS, row[:-1], strict=True))
            body["payload"] = json.loads(body["payload"])
            leaf = merkle.leaf_hash(leaf_input(row[-1], canonical_json(body)))
            leaves[(row[0] - 1) >> STORED_LEVEL].append(leaf)
    else:
        for event in Event.objects.filter(seq__in=seqs).order_by("seq").only(*LEAF_FIELDS):
            leaves[(event.seq - 1) >> STORED_LEVEL].append(event_leaf_hash(event))
    return leaves


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


def _source(keys, extra_blocks=()):
    hashes = subtree_hashes(keys, extra_blocks)
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
    own_block = index >> STORED_LEVEL
    source = _source(merkle.plan_inclusion(index, size), extra_blocks=[own_block])
    path = merkle.inclusion_path(index, size, source)
    leaf = source("block", own_block)[index - own_block * BLOCK]
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
