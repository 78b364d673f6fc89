"""A share of a tender key, sealed to one committee member: the member's side of the opening.

At publication the server splits each tender private key (Shamir, k of n)
and seals share i to member i's X25519 public key with HPKE (RFC 9180 base
mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; the suite of the
envelopes). `info` is the RFC 8785 JSON of

    {"format": 1, "purpose": "panjere-tender-key-share", "tender": ocid,
     "kind": "technical" | "financial" | "single", "member": member id,
     "member_key": SHA-256 fingerprint of the member's public key,
     "tender_key": SHA-256 fingerprint of the tender public key}

so a share opens only for that tender, kind, member and key pair, and only
as a share of that tender key. A sealed share is enc (32) || ciphertext
(share + 16): 81 bytes for the 33-byte shares of core.secret_sharing.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke

from .encoding import EncodingError, b64decode, hexdecode
from .envelope import KINDS
from .errors import PanjereClientError
from .jcs import canonicalize
from .keys import PrivateKeyLike, PublicKeyLike, fingerprint, load_private_key, load_public_key

PURPOSE = "panjere-tender-key-share"
ENC_SIZE = 32
TAG_SIZE = 16
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)
_FIELDS = ("tender", "kind", "member", "tender_key")


class ShareError(PanjereClientError):
    """A sealed share refused; the subclass says why."""


class MalformedShare(ShareError):
    """Not a sealed share in the format, or a context not in it."""


class ShareMismatch(ShareError):
    """The share does not open: another member's key, another tender or kind, or altered."""


@dataclass(frozen=True)
class ShareContext:
    """Which share: the tender, envelope kind, member and tender key it belongs to."""

    tender: str
    kind: str
    member: str
    tender_key: str

    def __post_init__(self):
        for name in ("tender", "member"):
            value = getattr(self, name)
            if not isinstance(value, str) or not 1 <= len(value) <= 200:
                raise MalformedShare(f"the {name} is a string of 1 to 200 characters")
        if self.kind not in KINDS:
            raise MalformedShare(f"the kind is one of {', '.join(KINDS)}")
        try:
            hexdecode(self.tender_key, size=32)
        except EncodingError as error:
            raise MalformedShare(f"the tender key fingerprint is {error}") from None

    @classmethod
    def from_json(cls, value: Mapping) -> "ShareContext":
        if not isinstance(value, Mapping) or not set(_FIELDS) <= set(value):
            raise MalformedShare(f"a share's context has {', '.join(_FIELDS)}")
        return cls(**{name: value[name] for name in _FIELDS})

    def info(self, member_public_key: PublicKeyLike) -> bytes:
        """HPKE's info for this share sealed to `member_public_key`."""
        return canonicalize(
            {
                "format": 1,
                "purpose": PURPOSE,
                "tender": self.tender,
                "kind": self.kind,
                "member": self.member,
                "member_key": fingerprint(member_public_key),
                "tender_key": self.tender_key,
            }
        )


def _context(value: "ShareContext | Mapping") -> ShareContext:
    return value if isinstance(value, ShareContext) else ShareContext.from_json(value)


def seal_share(
    share: bytes, *, member_public_key: PublicKeyLike, context: "ShareContext | Mapping"
) -> bytes:
    """Seal `share` to a member (the dealer's side: the server at publication)."""
    public_key = load_public_key(member_public_key)
    return _SUITE.encrypt(bytes(share), public_key, info=_context(context).info(public_key))


def open_share(
    sealed: bytes | str, *, private_key: PrivateKeyLike, context: "ShareContext | Mapping"
) -> bytes:
    """Open a share sealed to this member (given raw or in base64); return the share."""
    if isinstance(sealed, str):
        try:
            sealed = b64decode(sealed)
        except EncodingError as error:
            raise MalformedShare(f"the sealed share is {error}") from None
    if len(sealed) <= ENC_SIZE + TAG_SIZE:
        raise MalformedShare(f"a sealed share is longer than {ENC_SIZE + TAG_SIZE} bytes")
    private_key = load_private_key(private_key)
    info = _context(context).info(private_key.public_key())
    try:
        return _SUITE.decrypt(bytes(sealed), private_key, info=info)
    except InvalidTag:
        raise ShareMismatch(
            "the share does not open with this key for this tender, kind and member"
        ) from None
