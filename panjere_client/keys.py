"""X25519 keys as the formats carry them: raw 32 bytes, in standard base64 in JSON.

A key's fingerprint is SHA-256 of its raw 32-byte public key, in lower-case
hex: what the envelope header names, what a member compares on screen.
"""

import hashlib

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from .encoding import EncodingError, b64decode
from .errors import PanjereClientError

KEY_SIZE = 32

PublicKeyLike = X25519PublicKey | bytes | str
PrivateKeyLike = X25519PrivateKey | bytes | str


class KeyFormatError(PanjereClientError):
    """A key that is not a raw 32-byte X25519 key (or its standard base64)."""


def _raw(value: bytes | str, what: str) -> bytes:
    if isinstance(value, str):
        try:
            return b64decode(value.strip(), size=KEY_SIZE)
        except EncodingError as error:
            raise KeyFormatError(f"{what}: {error}") from None
    if isinstance(value, bytes | bytearray | memoryview) and len(value) == KEY_SIZE:
        return bytes(value)
    raise KeyFormatError(f"{what} is 32 raw bytes or their base64")


def load_public_key(value: PublicKeyLike) -> X25519PublicKey:
    """Return an X25519 public key given as one, as raw bytes or as standard base64."""
    if isinstance(value, X25519PublicKey):
        return value
    return X25519PublicKey.from_public_bytes(_raw(value, "an X25519 public key"))


def load_private_key(value: PrivateKeyLike) -> X25519PrivateKey:
    """Return an X25519 private key given as one, as raw bytes or as standard base64."""
    if isinstance(value, X25519PrivateKey):
        return value
    return X25519PrivateKey.from_private_bytes(_raw(value, "an X25519 private key"))


def public_bytes(key: PublicKeyLike) -> bytes:
    """The raw 32 bytes of a public key."""
    return load_public_key(key).public_bytes(Encoding.Raw, PublicFormat.Raw)


def private_bytes(key: PrivateKeyLike) -> bytes:
    """The raw 32 bytes of a private key."""
    return load_private_key(key).private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def fingerprint(public_key: PublicKeyLike) -> str:
    """SHA-256 of the raw public key, 64 lower-case hex digits."""
    return hashlib.sha256(public_bytes(public_key)).hexdigest()
