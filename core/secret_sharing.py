"""Shamir secret sharing, k of n over GF(2^8): how a tender private key is split among members.

`split(secret, n, k)` returns n shares of which any k give the secret back
through `combine`, and any k - 1 say nothing about it. Each byte of the
secret is the constant term of its own random polynomial of degree k - 1 over
GF(2^8) (the AES field, x^8 + x^4 + x^3 + x + 1); share i holds every
polynomial's value at x_i, then x_i itself:

    share = y_1 || y_2 || … || y_len(secret) || x        (len(secret) + 1 bytes)

the format of HashiCorp Vault's shamir package, so the shares of a 32-byte
X25519 private key are 33 bytes. The x_i are distinct, non-zero and random.

The arithmetic is pyshamir's, a port of Vault's split/combine, chosen over
the other packages on PyPI because it keeps Vault's format (which the npm
`shamir-secret-sharing` package, audited by Cure53 and Zellic, also uses, so
the browser side could share it), draws every coefficient and x from
`secrets`, multiplies bit by bit as Vault now does rather than through
log/exp tables (Python itself promises no constant time), has no
dependencies, and is maintained (1.1.0, 2026). SLIP-39's `shamir-mnemonic`
adds a digest share and mnemonic words we do not need and keeps its
splitting private; `pygfssss` (another field polynomial) and `sslib` are
unmaintained; `secretsharing` works over a prime field with integer secrets;
PyCryptodome's Shamir takes 16-byte secrets only. This module adds the
checks the use needs (k >= 2, k <= n <= 255, shares of one length, distinct
non-zero x) and one error type. tests/bidding/test_secret_sharing.py checks
it against SLIP-39's interpolation and the npm package.
"""

from collections.abc import Sequence

import pyshamir

MAX_SHARES = 255


class SecretSharingError(ValueError):
    """Shares that cannot be made or combined as asked; the message says why."""


def split(secret: bytes, n: int, k: int) -> list[bytes]:
    """Split `secret` into `n` shares, any `k` of which combine to it."""
    if not isinstance(secret, bytes | bytearray) or not secret:
        raise SecretSharingError("the secret is a non-empty byte string")
    if type(n) is not int or type(k) is not int:
        raise SecretSharingError("n and k are integers")
    if k < 2:
        raise SecretSharingError(f"the threshold k is at least 2, not {k}")
    if k > n:
        raise SecretSharingError(f"the threshold k ({k}) is at most the number of shares ({n})")
    if n > MAX_SHARES:
        raise SecretSharingError(f"at most {MAX_SHARES} shares, not {n}")
    return [bytes(share) for share in pyshamir.split(bytes(secret), n, k)]


def combine(shares: Sequence[bytes]) -> bytes:
    """Return the secret of `shares` (at least k of one split; more do no harm).

    Fewer than k shares give a wrong value, not an error: Shamir's scheme
    cannot tell. Check the result against something public (for a tender key,
    its public key) before trusting it.
    """
    shares = [bytes(share) for share in shares]
    if len(shares) < 2:
        raise SecretSharingError("at least two shares are needed")
    if len({len(share) for share in shares}) != 1 or len(shares[0]) < 2:
        raise SecretSharingError("the shares are not of one split (their lengths differ)")
    indexes = [share[-1] for share in shares]
    if 0 in indexes:
        raise SecretSharingError("a share has the index 0, which holds the secret itself")
    if len(set(indexes)) != len(indexes):
        raise SecretSharingError("two shares have the same index")
    if len(shares) > MAX_SHARES:
        raise SecretSharingError(f"at most {MAX_SHARES} shares")
    return bytes(pyshamir.combine([bytearray(share) for share in shares]))
