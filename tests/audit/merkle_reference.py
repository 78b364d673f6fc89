"""RFC 9162 §2.1 written out literally, as the yardstick for the fast code.

MTH, PATH and PROOF recurse over the list of leaf hashes exactly as the RFC
defines them, with no shortcuts: slow, and obviously right. Also the
transparency-dev proof vectors, loaded once for both verifiers' tests.
"""

import base64
import hashlib
import json
from pathlib import Path

import pytest

VECTORS = Path(__file__).parent / "merkle_vectors"


def leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _k(n: int) -> int:
    """The largest power of two smaller than n."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(hashes: list[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes (§2.1.1)."""
    n = len(hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[0]
    k = _k(n)
    return node(mth(hashes[:k]), mth(hashes[k:]))


def path(m: int, hashes: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) (§2.1.3.1)."""
    n = len(hashes)
    if n == 1:
        return []
    k = _k(n)
    if m < k:
        return [*path(m, hashes[:k]), mth(hashes[k:])]
    return [*path(m - k, hashes[k:]), mth(hashes[:k])]


def proof(m: int, hashes: list[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) (§2.1.4.1)."""
    return _subproof(m, hashes, True)


def _subproof(m: int, hashes: list[bytes], b: bool) -> list[bytes]:
    n = len(hashes)
    if m == n:
        return [] if b else [mth(hashes)]
    k = _k(n)
    if m <= k:
        return [*_subproof(m, hashes[:k], b), mth(hashes[k:])]
    return [*_subproof(m - k, hashes[k:], False), mth(hashes[:k])]


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def _cases(kind: str) -> list:
    cases = []
    for file in sorted((VECTORS / kind).rglob("*.json")):
        case = json.loads(file.read_text())
        case["proof"] = [_b64(h) for h in case["proof"] or []]
        name = str(file.relative_to(VECTORS / kind).with_suffix(""))
        cases.append(pytest.param(case, id=name))
    return cases


def inclusion_cases() -> list:
    """The inclusion vectors: leafIdx (0-based), treeSize, leafHash, root, proof, wantErr."""
    cases = _cases("inclusion")
    for param in cases:
        case = param.values[0]
        case["leafHash"], case["root"] = _b64(case["leafHash"]), _b64(case["root"])
    return cases


def consistency_cases() -> list:
    """The consistency vectors: size1, size2, root1, root2, proof, wantErr."""
    cases = _cases("consistency")
    for param in cases:
        case = param.values[0]
        case["root1"], case["root2"] = _b64(case["root1"]), _b64(case["root2"])
    return cases
