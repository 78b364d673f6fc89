"""RFC 9162 Merkle tree hashes, a streaming tree, and proof verification.

Independent of the server's `audit.merkle`: where the server follows the
RFC's bit-twiddling verification algorithms (§2.1.3.2, §2.1.4.2), this module
re-derives each proof's shape from the definitions of PATH (§2.1.3.1) and
PROOF (§2.1.4.1) and recomputes the roots from it, so the two check each
other. Both agree with the transparency-dev test vectors.

A proof is untrusted input: the verifiers answer False, never raise, when it
cannot hold.
"""

import hashlib
from collections.abc import Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """Return SHA-256(0x00 || data), the hash of a leaf."""
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Return SHA-256(0x01 || left || right), the hash of an interior node."""
    return hashlib.sha256(b"\x01" + left + right).digest()


class Tree:
    """A Merkle tree grown leaf by leaf that keeps only O(log n) hashes."""

    def __init__(self) -> None:
        self.size = 0
        # The roots of the perfect subtrees making up the tree, largest first:
        # one per set bit of `size`.
        self._frontier: list[bytes] = []

    def append(self, leaf: bytes) -> None:
        """Add a leaf hash at the right."""
        merged, size = leaf, self.size
        while size & 1:
            merged = node_hash(self._frontier.pop(), merged)
            size >>= 1
        self._frontier.append(merged)
        self.size += 1

    def root(self) -> bytes:
        """Return MTH(D[size]): the empty hash, or the subtrees folded from the right."""
        if not self._frontier:
            return EMPTY_ROOT
        root = self._frontier[-1]
        for subtree in reversed(self._frontier[:-1]):
            root = node_hash(subtree, root)
        return root


def _largest_power_of_two_below(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Return whether `path` = PATH(index, D[size]) leads from `leaf` to `root`."""
    if not (0 <= index < size and _hashes(leaf, *path)):
        return False
    # PATH(m, D[n]) splits D[n] at k: for m < k the sibling MTH(D[k:n]) is
    # on the right, else MTH(D[0:k]) is on the left. Record the sides from
    # the root down; the path lists the siblings from the leaf up.
    sibling_on_right = []
    m, n = index, size
    while n > 1:
        k = _largest_power_of_two_below(n)
        if m < k:
            sibling_on_right.append(True)
            n = k
        else:
            sibling_on_right.append(False)
            m, n = m - k, n - k
    if len(path) != len(sibling_on_right):
        return False
    computed = leaf
    for sibling, on_right in zip(path, reversed(sibling_on_right), strict=True):
        computed = node_hash(computed, sibling) if on_right else node_hash(sibling, computed)
    return computed == root


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, path: Sequence[bytes]
) -> bool:
    """Return whether `path` = PROOF(first, D[second]) links the two roots."""
    if not 0 < first <= second:
        return False
    if first == second:
        return not path and first_root == second_root
    if not _hashes(*path):
        return False
    # SUBPROOF(m, D[n], b) splits D[n] at k. For m <= k the old tree lies in
    # D[0:k] and MTH(D[k:n]) is a right sibling of the new tree only; else
    # MTH(D[0:k]) is a left sibling of both trees and b becomes false. It
    # stops at m == n, where the subtree D[m] is the old tree itself (b true,
    # its hash is first_root) or the path's first hash (b false).
    new_only = []
    m, n, whole_old_tree = first, second, True
    while m != n:
        k = _largest_power_of_two_below(n)
        if m <= k:
            new_only.append(True)
            n = k
        else:
            new_only.append(False)
            m, n, whole_old_tree = m - k, n - k, False
    if whole_old_tree:
        seed, siblings = first_root, list(path)
    elif path:
        seed, siblings = path[0], list(path[1:])
    else:
        return False
    if len(siblings) != len(new_only):
        return False
    old = new = seed
    for sibling, right_of_new_only in zip(siblings, reversed(new_only), strict=True):
        if right_of_new_only:
            new = node_hash(new, sibling)
        else:
            old, new = node_hash(sibling, old), node_hash(sibling, new)
    return old == first_root and new == second_root


def _hashes(*values: bytes) -> bool:
    return all(isinstance(v, bytes) and len(v) == HASH_SIZE for v in values)
