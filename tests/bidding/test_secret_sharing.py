"""core.secret_sharing: k of n over GF(2^8), checked against two independent implementations.

SLIP-39's reference code (`shamir_mnemonic`, Trezor's) interpolates over the
same field (x^8 + x^4 + x^3 + x + 1): it combines our shares, and shares it
deals combine in ours. The npm package `shamir-secret-sharing` (Privy's,
Vault's format, audited) runs under Node.js: its shares combine in ours and
ours in it.
"""

import itertools
import json
import os
import random
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shamir_mnemonic.shamir import RawShare, _interpolate

from core.secret_sharing import SecretSharingError, combine, split

from .conftest import NODE


def _slip39_combine(shares: list[bytes]) -> bytes:
    return _interpolate([RawShare(share[-1], share[:-1]) for share in shares], 0)


def _slip39_split(secret: bytes, n: int, k: int) -> list[bytes]:
    """Deal as SLIP-39 does: k - 1 random points and the secret at 0 fix the polynomial."""
    xs = random.sample(range(1, 256), n)
    base = [RawShare(0, secret)] + [RawShare(x, os.urandom(len(secret))) for x in xs[: k - 1]]
    return [_interpolate(base, x) + bytes([x]) for x in xs]


@settings(max_examples=60, deadline=None)
@given(
    secret=st.binary(min_size=1, max_size=64),
    n=st.integers(2, 9),
    data=st.data(),
)
def test_any_k_of_n_give_the_secret_back(secret, n, data):
    k = data.draw(st.integers(2, n))
    shares = split(secret, n, k)
    chosen = data.draw(st.lists(st.sampled_from(range(n)), min_size=k, max_size=n, unique=True))

    subset = [shares[index] for index in chosen]
    assert combine(subset) == secret
    assert _slip39_combine(subset) == secret


def test_every_subset_of_a_small_split():
    secret = os.urandom(32)
    shares = split(secret, 5, 3)

    assert len(shares) == 5
    assert all(len(share) == 33 for share in shares)
    assert len({share[-1] for share in shares}) == 5
    assert 0 not in {share[-1] for share in shares}
    for size in (3, 4, 5):
        for subset in itertools.combinations(shares, size):
            assert combine(list(subset)) == secret
    for subset in itertools.combinations(shares, 2):  # k - 1 shares give something else
        assert combine(list(subset)) != secret


@settings(max_examples=30, deadline=None)
@given(n=st.integers(3, 12), data=st.data())
def test_fewer_than_k_shares_give_a_different_value(n, data):
    k = data.draw(st.integers(3, n))
    secret = os.urandom(32)
    shares = split(secret, n, k)
    chosen = data.draw(st.lists(st.sampled_from(shares), min_size=2, max_size=k - 1, unique=True))

    assert combine(chosen) != secret


def test_the_same_secret_splits_differently_each_time():
    secret = os.urandom(32)

    assert split(secret, 3, 2) != split(secret, 3, 2)


def test_the_largest_split():
    secret = os.urandom(32)
    shares = split(secret, 255, 2)

    assert sorted(share[-1] for share in shares) == list(range(1, 256))
    assert combine([shares[0], shares[254]]) == secret


@settings(max_examples=40, deadline=None)
@given(secret=st.binary(min_size=1, max_size=48), n=st.integers(2, 8), data=st.data())
def test_shares_dealt_the_slip39_way_combine_here(secret, n, data):
    k = data.draw(st.integers(2, n))
    shares = _slip39_split(secret, n, k)

    assert combine(random.sample(shares, k)) == secret


@pytest.mark.parametrize(
    ("secret", "n", "k", "message"),
    [
        (b"s" * 32, 3, 1, "at least 2"),
        (b"s" * 32, 3, 4, "at most the number"),
        (b"s" * 32, 256, 2, "at most 255"),
        (b"", 3, 2, "non-empty"),
        ("text", 3, 2, "byte string"),
    ],
)
def test_splits_that_are_refused(secret, n, k, message):
    with pytest.raises(SecretSharingError, match=message):
        split(secret, n, k)


def test_combinations_that_are_refused():
    shares = split(os.urandom(32), 4, 2)

    with pytest.raises(SecretSharingError, match="same index"):
        combine([shares[0], shares[1], shares[0]])
    with pytest.raises(SecretSharingError, match="at least two"):
        combine([shares[0]])
    with pytest.raises(SecretSharingError, match="lengths differ"):
        combine([shares[0], shares[1][1:]])
    with pytest.raises(SecretSharingError, match="index 0"):
        combine([shares[0], shares[1][:-1] + b"\x00"])


SSS = """
import { split, combine } from "shamir-secret-sharing";
import { readFileSync } from "node:fs";
const input = JSON.parse(readFileSync(0, "utf8"));
const hex = (bytes) => Buffer.from(bytes).toString("hex");
const bytes = (text) => new Uint8Array(Buffer.from(text, "hex"));
const made = await split(bytes(input.secret), input.n, input.k);
const combined = await combine(input.shares.map(bytes));
console.log(JSON.stringify({ shares: made.map(hex), combined: hex(combined) }));
"""


@pytest.mark.node
def test_shares_interoperate_with_the_npm_package(frontend_modules, tmp_path):
    # given a key split here, and another secret to split there
    ours = os.urandom(32)
    theirs = os.urandom(32)
    shares = split(ours, 5, 3)
    script = frontend_modules / "sss-check.mjs"
    script.write_text(SSS)

    # when node splits theirs and combines three of ours
    done = subprocess.run(
        [NODE, str(script)],
        input=json.dumps(
            {
                "secret": theirs.hex(),
                "n": 5,
                "k": 3,
                "shares": [share.hex() for share in shares[1:4]],
            }
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=frontend_modules,
    )
    answer = json.loads(done.stdout)

    # then each side combines the other's shares
    assert bytes.fromhex(answer["combined"]) == ours
    made = [bytes.fromhex(share) for share in answer["shares"]]
    assert all(len(share) == 33 for share in made)
    assert combine([made[4], made[0], made[2]]) == theirs
    assert combine(made[:2]) != theirs
