"""The platform's Ed25519 signing key: checkpoints of the audit trail, and receipts.

The key is `PANJERE_SIGNING_KEY` (the base64 of its 32-byte private seed).
Keys retired by a rotation stay listed by their public half
(`PANJERE_SIGNING_KEYS_RETIRED`), so what they signed still verifies. A key
is known by its id: the first 16 bytes of SHA-256 of its raw public key, in
hex. The public keys are published at /api/v1/audit/keys/ and in
docs/audit.md's rotation procedure.
"""

import base64
import binascii
import functools
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHM = "Ed25519"


def key_id(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).digest()[:16].hex()


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class PublicKey:
    public: Ed25519PublicKey
    status: str  # "current" or "retired"

    @functools.cached_property
    def raw(self) -> bytes:
        return _raw(self.public)

    @functools.cached_property
    def key_id(self) -> str:
        return key_id(self.raw)

    def as_json(self) -> dict:
        return {
            "key_id": self.key_id,
            "algorithm": ALGORITHM,
            "public_key": base64.b64encode(self.raw).decode(),
            "status": self.status,
        }

    def verify(self, data: bytes, signature: str) -> bool:
        try:
            self.public.verify(base64.b64decode(signature, validate=True), data)
        except (InvalidSignature, binascii.Error, ValueError):
            return False
        return True


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey

    @functools.cached_property
    def public(self) -> PublicKey:
        return PublicKey(self.private.public_key(), "current")

    @property
    def key_id(self) -> str:
        return self.public.key_id

    def sign(self, data: bytes) -> str:
        """The base64 Ed25519 signature of `data`."""
        return base64.b64encode(self.private.sign(data)).decode()


def _decode(value: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{what} must be the base64 of 32 bytes.")
    return raw


@functools.cache
def _load(seed: str, retired: tuple[str, ...]) -> tuple[SigningKey, tuple[PublicKey, ...]]:
    current = SigningKey(Ed25519PrivateKey.from_private_bytes(_decode(seed, "PANJERE_SIGNING_KEY")))
    old = tuple(
        PublicKey(
            Ed25519PublicKey.from_public_bytes(_decode(value, "PANJERE_SIGNING_KEYS_RETIRED")),
            "retired",
        )
        for value in retired
    )
    return current, old


def _keys() -> tuple[SigningKey, tuple[PublicKey, ...]]:
    return _load(settings.PANJERE_SIGNING_KEY, tuple(settings.PANJERE_SIGNING_KEYS_RETIRED))


def current_key() -> SigningKey:
    return _keys()[0]


def public_keys() -> list[PublicKey]:
    """Every key a signature of the platform may verify with: the current one first."""
    current, retired = _keys()
    return [current.public, *retired]


def find_key(wanted: str) -> PublicKey | None:
    return next((key for key in public_keys() if key.key_id == wanted), None)
