"""Checkpoints and the keys that sign them.

A checkpoint is signed with Ed25519 over JCS(the checkpoint without its
"signature"); its key_id is the first 16 bytes of SHA-256(the raw 32-byte
public key), in hex. A key set lists the log's keys, current and retired: a
retired key no longer signs, but the checkpoints it signed still verify.
"""

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .inputs import load_document, loads, read_text, require_fields
from .jcs import CanonicalizationError, canonicalize
from .reports import Failure, UnusableInput

CHECKPOINT_FIELDS = {
    "log": str,
    "size": int,
    "root_hash": str,
    "recorded_at": str,
    "key_id": str,
    "signature": str,
}
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX32 = re.compile(r"[0-9a-f]{32}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")
_MAX_SIZE = 2**53 - 1


def key_id(public_key: bytes) -> str:
    """Return the key_id of a raw 32-byte Ed25519 public key."""
    return hashlib.sha256(public_key).digest()[:16].hex()


@dataclass(frozen=True)
class Key:
    """One signing key of a log."""

    key_id: str
    public_key: Ed25519PublicKey
    status: str


@dataclass(frozen=True)
class KeySet:
    """The keys of a log, by key_id. `log` is None for a single key given on its own."""

    log: str | None
    keys: dict[str, Key]

    @classmethod
    def from_public_key(cls, public_key: bytes | str) -> "KeySet":
        """Return a key set of one key, given raw or as standard base64."""
        raw = public_key if isinstance(public_key, bytes) else _base64(public_key, "the key")
        return cls(None, {key_id(raw): Key(key_id(raw), _ed25519(raw, "the key"), "current")})

    @classmethod
    def from_json(cls, document: Mapping, name: str = "the key set") -> "KeySet":
        """Return the key set of a parsed key set document."""
        require_fields(document, {"log": str, "keys": list}, name)
        keys: dict[str, Key] = {}
        for position, entry in enumerate(document["keys"], start=1):
            where = f"{name}, key {position}"
            if not isinstance(entry, Mapping):
                raise UnusableInput(f"{where}: a key is a JSON object")
            fields = {"key_id": str, "algorithm": str, "public_key": str, "status": str}
            require_fields(entry, fields, where)
            if entry["algorithm"] != "Ed25519":
                raise UnusableInput(
                    f"{where}: the algorithm is {entry['algorithm']!r}, not Ed25519"
                )
            if entry["status"] not in ("current", "retired"):
                raise UnusableInput(f"{where}: the status is neither 'current' nor 'retired'")
            raw = _base64(entry["public_key"], where)
            public_key = _ed25519(raw, where)
            if entry["key_id"] != key_id(raw):
                raise UnusableInput(f"{where}: its key_id is not the one of its public key")
            if entry["key_id"] in keys:
                raise UnusableInput(f"{where}: the key {entry['key_id']} is listed twice")
            keys[entry["key_id"]] = Key(entry["key_id"], public_key, entry["status"])
        return cls(document["log"], keys)


def load_keys(source: "KeySet | Mapping | str | os.PathLike") -> KeySet:
    """Return a key set given as one, as a parsed document, or as a file (`-`: stdin).

    The file holds a key set (JSON) or a single public key in base64.
    """
    if isinstance(source, KeySet):
        return source
    if isinstance(source, Mapping):
        return KeySet.from_json(source)
    name = str(source)
    text = read_text(source).strip()
    if not text.startswith("{"):
        return KeySet.from_public_key(_base64(text, name))
    try:
        document = loads(text)
    except ValueError as error:
        raise UnusableInput(f"{name}: not valid JSON ({error})") from None
    return KeySet.from_json(document, name)


@dataclass(frozen=True)
class Checkpoint:
    """A signed tree head: the log had `size` events and this root at `recorded_at`."""

    log: str
    size: int
    root_hash: bytes
    recorded_at: str
    key_id: str
    signature: bytes
    # The bytes the signature covers: JCS of the checkpoint without "signature".
    signed: bytes
    name: str

    @property
    def label(self) -> str:
        """How messages cite it."""
        return f"the checkpoint of size {self.size}"


def load_checkpoint(source: "Checkpoint | Mapping | str | os.PathLike") -> Checkpoint:
    """Return a checkpoint given as one, as a parsed document or as a file."""
    if isinstance(source, Checkpoint):
        return source
    document, name = load_document(source, "the checkpoint")
    require_fields(document, CHECKPOINT_FIELDS, name)
    if not 0 <= document["size"] <= _MAX_SIZE:
        raise UnusableInput(f"{name}: 'size' is out of range")
    if not _HEX64.fullmatch(document["root_hash"]):
        raise UnusableInput(f"{name}: 'root_hash' is not 64 lowercase hexadecimal digits")
    if not _HEX32.fullmatch(document["key_id"]):
        raise UnusableInput(f"{name}: 'key_id' is not 32 lowercase hexadecimal digits")
    if not _MOMENT.fullmatch(document["recorded_at"]):
        raise UnusableInput(f"{name}: 'recorded_at' is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
    signature = _base64(document["signature"], name)
    if len(signature) != 64:
        raise UnusableInput(f"{name}: an Ed25519 signature is 64 bytes, not {len(signature)}")
    unsigned = {field: value for field, value in document.items() if field != "signature"}
    try:
        signed = canonicalize(unsigned)
    except CanonicalizationError as error:
        raise UnusableInput(f"{name}: {error}") from None
    return Checkpoint(
        log=document["log"],
        size=document["size"],
        root_hash=bytes.fromhex(document["root_hash"]),
        recorded_at=document["recorded_at"],
        key_id=document["key_id"],
        signature=signature,
        signed=signed,
        name=name,
    )


def check_signature(checkpoint: Checkpoint, keys: KeySet) -> Key:
    """Return the key that signed the checkpoint; raise Failure if none in `keys` did."""
    if keys.log is not None and checkpoint.log != keys.log:
        raise Failure(
            "wrong_log",
            f"{checkpoint.label} is of the log {checkpoint.log!r}, "
            f"the key set of the log {keys.log!r}",
        )
    key = keys.keys.get(checkpoint.key_id)
    if key is None:
        raise Failure(
            "unknown_key",
            f"{checkpoint.label} names the key {checkpoint.key_id}, which is not in the key set",
        )
    try:
        key.public_key.verify(checkpoint.signature, checkpoint.signed)
    except InvalidSignature:
        raise Failure(
            "bad_signature",
            f"the signature of {checkpoint.label} does not verify with the key {key.key_id}",
        ) from None
    return key


def _base64(text: str, name: str) -> bytes:
    """Decode standard, padded base64, refusing anything else."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise UnusableInput(f"{name}: not standard base64") from None
    if base64.b64encode(raw).decode() != text:
        raise UnusableInput(f"{name}: not standard, padded base64")
    return raw


def _ed25519(raw: bytes, name: str) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise UnusableInput(f"{name}: an Ed25519 public key is 32 bytes, not {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)
