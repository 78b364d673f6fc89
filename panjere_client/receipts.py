"""The platform's receipt of a submission: what was received, when, signed with Ed25519.

A receipt is a JSON object of exactly these members (docs/sealing.md, "The receipt"):

    type          "panjere.bid_receipt"
    format        1
    tender        the tender's OCID
    lot           the lot's id, or null
    bid           the bid's id
    bid_version   1, 2, … (a resubmission is a new version)
    supplier      the supplier's id
    envelopes     [{"kind", "sha256", "size"}, …], one per envelope, kinds distinct
    received_at   the database time, UTC, "YYYY-MM-DDTHH:MM:SS.ffffffZ"
    audit_seq     the sequence number of the audit event that records the submission
    checkpoint    the latest signed checkpoint then, {"size", "root_hash"}, or null
    key_id        the signing key: first 16 bytes of SHA-256 of its raw public key, hex
    signature     Ed25519 over the RFC 8785 JSON of all other members, standard base64

The keys are the platform's key set, in the format of docs/verify.md:
`{"log", "keys": [{"key_id", "algorithm": "Ed25519", "public_key", "status"}]}`.
A retired key signs nothing new, but what it signed still verifies.
"""

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from .encoding import EncodingError, b64decode, b64encode, loads
from .envelope import KINDS
from .errors import PanjereClientError
from .jcs import CanonicalizationError, canonicalize

TYPE = "panjere.bid_receipt"
FORMAT = 1
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_MAX = 2**53 - 1


class ReceiptError(PanjereClientError):
    """A receipt or key set refused; the subclass says why."""


class MalformedReceipt(ReceiptError):
    """Not a receipt in the format."""


class MalformedKeySet(ReceiptError):
    """Not a key set in the format of docs/verify.md."""


class UnknownKey(ReceiptError):
    """The receipt names a key_id that is not in the key set."""


class BadSignature(ReceiptError):
    """The signature does not verify: the receipt was altered or forged."""


class ReceiptMismatch(ReceiptError):
    """A valid receipt, but not for this envelope (another hash, size or context)."""


def key_id(public_key: bytes | Ed25519PublicKey) -> str:
    """The key_id of an Ed25519 public key: SHA-256 of its raw bytes, first 16 bytes, hex."""
    if isinstance(public_key, Ed25519PublicKey):
        public_key = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return hashlib.sha256(public_key).digest()[:16].hex()


@dataclass(frozen=True)
class KeySet:
    """The platform's signing keys by key_id, with their status."""

    log: str
    keys: dict[str, tuple[Ed25519PublicKey, str]]

    @classmethod
    def from_json(cls, document: object) -> "KeySet":
        if not isinstance(document, Mapping) or set(document) != {"log", "keys"}:
            raise MalformedKeySet("a key set has exactly 'log' and 'keys'")
        if not isinstance(document["log"], str) or not isinstance(document["keys"], list):
            raise MalformedKeySet("a key set's 'log' is a string and 'keys' a list")
        keys = {}
        for position, entry in enumerate(document["keys"], start=1):
            fields = {"key_id", "algorithm", "public_key", "status"}
            if not isinstance(entry, Mapping) or set(entry) != fields:
                raise MalformedKeySet(f"key {position} has exactly {', '.join(sorted(fields))}")
            if entry["algorithm"] != "Ed25519":
                raise MalformedKeySet(f"key {position} is not an Ed25519 key")
            if entry["status"] not in ("current", "retired"):
                raise MalformedKeySet(f"key {position}'s status is 'current' or 'retired'")
            try:
                raw = b64decode(entry["public_key"], size=32)
            except EncodingError as error:
                raise MalformedKeySet(f"key {position}'s public key is {error}") from None
            if entry["key_id"] != key_id(raw) or entry["key_id"] in keys:
                raise MalformedKeySet(f"key {position}'s key_id is wrong or repeated")
            keys[entry["key_id"]] = (Ed25519PublicKey.from_public_bytes(raw), entry["status"])
        return cls(document["log"], keys)

    @classmethod
    def load(cls, source: "KeySet | Mapping | str | Path") -> "KeySet":
        """A key set given as one, as its parsed JSON, or as a file."""
        if isinstance(source, KeySet):
            return source
        if isinstance(source, Mapping):
            return cls.from_json(source)
        try:
            return cls.from_json(loads(Path(source).read_bytes()))
        except EncodingError as error:
            raise MalformedKeySet(f"the key set is {error}") from None


@dataclass(frozen=True)
class Envelope:
    kind: str
    sha256: str
    size: int


@dataclass(frozen=True)
class Receipt:
    """A verified receipt."""

    tender: str
    lot: str | None
    bid: str
    bid_version: int
    supplier: str
    envelopes: tuple[Envelope, ...]
    received_at: str
    audit_seq: int
    checkpoint: dict | None
    key_id: str
    key_status: str
    document: dict

    def envelope(self, kind: str) -> Envelope:
        found = next((entry for entry in self.envelopes if entry.kind == kind), None)
        if found is None:
            raise ReceiptMismatch(f"the receipt lists no {kind} envelope")
        return found

    def check_envelope(self, *, kind: str, sha256: str, size: int, context=None) -> None:
        """Refuse unless the receipt lists this envelope (and, given, its context)."""
        entry = self.envelope(kind)
        if (entry.sha256, entry.size) != (sha256, size):
            raise ReceiptMismatch(
                f"the {kind} envelope here is not the one the receipt lists "
                f"({sha256}, {size} bytes; the receipt: {entry.sha256}, {entry.size} bytes)"
            )
        if context is not None:
            mine = (self.tender, self.lot, self.supplier, self.bid_version)
            theirs = (context.tender, context.lot, context.supplier, context.bid_version)
            if mine != theirs:
                raise ReceiptMismatch(
                    "the envelope is for another tender, lot, supplier or version"
                )


_FIELDS = {
    "type": str,
    "format": int,
    "tender": str,
    "lot": (str, type(None)),
    "bid": str,
    "bid_version": int,
    "supplier": str,
    "envelopes": list,
    "received_at": str,
    "audit_seq": int,
    "checkpoint": (dict, type(None)),
    "key_id": str,
    "signature": str,
}


def _check(document: object) -> None:
    if not isinstance(document, dict) or set(document) != set(_FIELDS):
        raise MalformedReceipt(f"a receipt has exactly {', '.join(sorted(_FIELDS))}")
    for name, kind in _FIELDS.items():
        value = document[name]
        if not isinstance(value, kind) or (kind is int and type(value) is not int):
            raise MalformedReceipt(f"the receipt's {name!r} is not of its type")
    if (document["type"], document["format"]) != (TYPE, FORMAT):
        raise MalformedReceipt(f"not a receipt of type {TYPE} format {FORMAT}")
    if not 1 <= document["bid_version"] <= _MAX or not 1 <= document["audit_seq"] <= _MAX:
        raise MalformedReceipt("the bid version and audit sequence are counted from 1")
    if not _MOMENT.fullmatch(document["received_at"]):
        raise MalformedReceipt("'received_at' is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
    if not _HEX32.fullmatch(document["key_id"]):
        raise MalformedReceipt("'key_id' is not 32 lower-case hex digits")
    envelopes = document["envelopes"]
    if not 1 <= len(envelopes) <= len(KINDS):
        raise MalformedReceipt("a receipt lists one envelope per kind")
    for entry in envelopes:
        if not isinstance(entry, dict) or set(entry) != {"kind", "sha256", "size"}:
            raise MalformedReceipt("an envelope entry has exactly kind, sha256, size")
        if entry["kind"] not in KINDS or not isinstance(entry["sha256"], str):
            raise MalformedReceipt("an envelope entry's kind or hash is not in the format")
        if not _HEX64.fullmatch(entry["sha256"]):
            raise MalformedReceipt("an envelope's sha256 is not 64 lower-case hex digits")
        if type(entry["size"]) is not int or not 0 < entry["size"] <= _MAX:
            raise MalformedReceipt("an envelope's size is a positive integer")
    if len({entry["kind"] for entry in envelopes}) != len(envelopes):
        raise MalformedReceipt("a receipt lists each kind of envelope once")
    checkpoint = document["checkpoint"]
    if checkpoint is not None:
        if set(checkpoint) != {"size", "root_hash"} or type(checkpoint["size"]) is not int:
            raise MalformedReceipt("the checkpoint is {size, root_hash}")
        if not 0 <= checkpoint["size"] <= _MAX:
            raise MalformedReceipt("the checkpoint's size is out of range")
        if not isinstance(checkpoint["root_hash"], str) or not _HEX64.fullmatch(
            checkpoint["root_hash"]
        ):
            raise MalformedReceipt("the checkpoint's root hash is not 64 lower-case hex digits")


def sign_receipt(fields: Mapping, private_key: Ed25519PrivateKey) -> dict:
    """Sign a receipt: `fields` are all members but key_id and signature (the server's side)."""
    document = {"type": TYPE, "format": FORMAT, **fields}
    document["key_id"] = key_id(private_key.public_key())
    document.pop("signature", None)
    try:
        signature = private_key.sign(canonicalize(document))
    except CanonicalizationError as error:
        raise MalformedReceipt(str(error)) from None
    document["signature"] = b64encode(signature)
    _check(document)
    return document


def verify_receipt(
    receipt: "Mapping | str | bytes | Path", keys: "KeySet | Mapping | str | Path"
) -> Receipt:
    """Return the receipt once its format and its signature check out."""
    if isinstance(receipt, bytes | str):
        try:
            receipt = loads(receipt)
        except EncodingError as error:
            raise MalformedReceipt(f"the receipt is {error}") from None
    elif isinstance(receipt, Path):
        return verify_receipt(receipt.read_bytes(), keys)
    document = dict(receipt)
    _check(document)
    try:
        signature = b64decode(document["signature"], size=64)
    except EncodingError as error:
        raise MalformedReceipt(f"the signature is {error}") from None
    key_set = KeySet.load(keys)
    found = key_set.keys.get(document["key_id"])
    if found is None:
        raise UnknownKey(f"the receipt is signed by the key {document['key_id']}, not in the set")
    public_key, status = found
    signed = {name: value for name, value in document.items() if name != "signature"}
    try:
        public_key.verify(signature, canonicalize(signed))
    except (InvalidSignature, CanonicalizationError):
        raise BadSignature(
            f"the signature does not verify with the key {document['key_id']}"
        ) from None
    return Receipt(
        tender=document["tender"],
        lot=document["lot"],
        bid=document["bid"],
        bid_version=document["bid_version"],
        supplier=document["supplier"],
        envelopes=tuple(Envelope(**entry) for entry in document["envelopes"]),
        received_at=document["received_at"],
        audit_seq=document["audit_seq"],
        checkpoint=document["checkpoint"],
        key_id=document["key_id"],
        key_status=status,
        document=document,
    )
