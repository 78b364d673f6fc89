"""The audit trail as an RFC 9162 Merkle tree: hashes, the frontier, proofs.

Pure functions over hashes, no database and no Django, so the storage layer
decides where hashes live. A perfect subtree (level, index) covers leaves
[index * 2**level, (index + 1) * 2**level); its hash never changes once its
last leaf is appended, so storage can keep every one of them.

Every range that RFC 9162's recursions (MTH, PATH, PROOF) split a tree into
starts on a multiple of a power of two at least as large as the range, so the
MTH of a range is the right fold of the perfect subtrees of its binary
decomposition. That lets `root_hash`, `inclusion_path` and `consistency_path`
serve any tree size from O(log n) stored subtree hashes, which `plan_*` name
in advance so the caller can fetch them in one query.

The verifiers follow RFC 9162 §2.1.3.2 and §2.1.4.2 step by step; they answer
False, never raise, for a proof that cannot hold (a leaf beyond the tree,
sizes out of order), since a proof is untrusted input. Proof generation
raises ValueError for arguments that name no proof.
"""

import hashlib
from collections.abc import Callable, Iterator, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

# Returns the hash of the perfect subtree (level, index).
SubtreeSource = Callable[[int, int], bytes]


def leaf_hash(data: bytes) -> bytes:
    """Return the RFC 9162 hash of a leaf: SHA-256(0x00 || data)."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return the RFC 9162 hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


# The frontier: the tree as it grows, one hash per set bit of its size.


def frontier_append(
    frontier: list[bytes], size: int, leaf: bytes
) -> tuple[list[bytes], list[tuple[int, int, bytes]]]:
    """Append a leaf hash; return the new frontier and the subtrees it completed."""
    _check_size(size)
    if len(leaf) != HASH_SIZE:
        raise ValueError(f"a leaf hash is {HASH_SIZE} bytes long")
    if len(frontier) != size.bit_count():
        raise ValueError(f"a frontier of {size} leaves holds {size.bit_count()} hashes")
    completed = [(0, size, leaf)]
    level, index, merged, kept = 0, size, leaf, len(frontier)
    # Each set low bit of `size` is a perfect subtree of that level that the
    # new leaf's subtree now completes, from the right: merge them upward.
    while (size >> level) & 1:
        kept -= 1
        merged = node_hash(frontier[kept], merged)
        level, index = level + 1, index >> 1
        completed.append((level, index, merged))
    return [*frontier[:kept], merged], completed


def frontier_root(frontier: Sequence[bytes]) -> bytes:
    """Return the MTH of the tree whose frontier this is."""
    return _fold(frontier) if frontier else EMPTY_ROOT


def frontier_pack(frontier: Sequence[bytes]) -> bytes:
    """Return the frontier as its hashes concatenated, largest subtree first."""
    if any(len(h) != HASH_SIZE for h in frontier):
        raise ValueError(f"a frontier holds {HASH_SIZE}-byte hashes")
    return b"".join(frontier)


def frontier_unpack(data: bytes) -> list[bytes]:
    """Return the frontier that `frontier_pack` packed into `data`."""
    if len(data) % HASH_SIZE:
        raise ValueError(f"a packed frontier is a multiple of {HASH_SIZE} bytes long")
    return [bytes(data[i : i + HASH_SIZE]) for i in range(0, len(data), HASH_SIZE)]


# Proof generation over stored perfect subtrees.


def root_hash(size: int, subtree: SubtreeSource) -> bytes:
    """Return MTH(D[0:size]) from the perfect subtrees of its decomposition."""
    _check_size(size)
    return _range_hash(0, size, subtree) if size else EMPTY_ROOT


def inclusion_path(index: int, size: int, subtree: SubtreeSource) -> list[bytes]:
    """Return PATH(index, D[0:size]) of RFC 9162 §2.1.3.1, leaf level first."""
    _check_size(size)
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    # Walk PATH's recursion down from the root; each step adds the sibling's
    # MTH after the deeper steps' hashes, so the path is the reverse walk.
    path, start, m, n = [], 0, index, size
    while n > 1:
        k = _split(n)
        if m < k:
            path.append(_range_hash(start + k, n - k, subtree))
            n = k
        else:
            path.append(_range_hash(start, k, subtree))
            start, m, n = start + k, m - k, n - k
    path.reverse()
    return path


def consistency_path(first: int, second: int, subtree: SubtreeSource) -> list[bytes]:
    """Return PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1."""
    _check_size(first)
    _check_size(second)
    if first == 0:
        raise ValueError("a consistency proof from the empty tree is meaningless")
    if first > second:
        raise ValueError(f"a tree of {second} leaves cannot extend one of {first}")
    # Walk SUBPROOF(m, D[n], b) down; `whole` is b: still on the old tree's
    # own root, whose hash the verifier already has.
    path, start, m, n, whole = [], 0, first, second, True
    while m != n:
        k = _split(n)
        if m <= k:
            path.append(_range_hash(start + k, n - k, subtree))
            n = k
        else:
            path.append(_range_hash(start, k, subtree))
            start, m, n, whole = start + k, m - k, n - k, False
    if not whole:
        path.append(_range_hash(start, m, subtree))
    path.reverse()
    return path


def plan_root(size: int) -> set[tuple[int, int]]:
    """Return the (level, index) subtrees `root_hash(size, …)` reads."""
    return _recorded(lambda source: root_hash(size, source))


def plan_inclusion(index: int, size: int) -> set[tuple[int, int]]:
    """Return the (level, index) subtrees `inclusion_path(index, size, …)` reads."""
    return _recorded(lambda source: inclusion_path(index, size, source))


def plan_consistency(first: int, second: int) -> set[tuple[int, int]]:
    """Return the (level, index) subtrees `consistency_path(first, second, …)` reads."""
    return _recorded(lambda source: consistency_path(first, second, source))


# Verification, RFC 9162 §2.1.3.2 and §2.1.4.2.


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Return whether `path` proves leaf `index` is `leaf_hash` in the tree of `size` and `root`."""
    if not (0 <= index < size and _hashes(leaf_hash, *path)):
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(
    first: int, second: int, root1: bytes, root2: bytes, path: Sequence[bytes]
) -> bool:
    """Return whether `path` proves the tree of `second` and `root2` extends that of `first`."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and root1 == root2
    if not path or not _hashes(*path):
        return False
    path = list(path)
    if first & (first - 1) == 0:  # a power of two: the old root is on the path
        path.insert(0, root1)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == root1 and sr == root2


# Internals.


def _check_size(size: int) -> None:
    if size < 0:
        raise ValueError(f"a tree size is never negative (got {size})")


def _split(n: int) -> int:
    """Return the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def _decomposition(start: int, length: int) -> Iterator[tuple[int, int]]:
    """Yield the perfect subtrees covering [start, start + length), largest first."""
    for level in range(length.bit_length() - 1, -1, -1):
        if (length >> level) & 1:
            yield level, start >> level
            start += 1 << level


def _range_hash(start: int, length: int, subtree: SubtreeSource) -> bytes:
    """Return MTH(D[start:start + length]) of an aligned range."""
    return _fold([subtree(level, index) for level, index in _decomposition(start, length)])


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Return the right fold of perfect subtree hashes, largest (leftmost) first."""
    root = hashes[-1]
    for h in reversed(hashes[:-1]):
        root = node_hash(h, root)
    return root


def _hashes(*values: bytes) -> bool:
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)


def _recorded(run: Callable[[SubtreeSource], object]) -> set[tuple[int, int]]:
    """Return the subtrees `run` asks its source for."""
    asked: set[tuple[int, int]] = set()

    def source(level: int, index: int) -> bytes:
        asked.add((level, index))
        return EMPTY_ROOT

    run(source)
    return asked
