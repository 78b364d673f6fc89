"""The exact bytes the audit trail hashes: RFC 8785 canonical JSON of an event.

    body      = the event's fields except its hash (`BODY_FIELDS`)
    hash      = SHA-256( bytes.fromhex(prev_hash) || JCS(body) )
    leaf      = bytes.fromhex(hash) || JCS(body)        (the event's Merkle leaf input)

JCS is the JSON Canonicalization Scheme of RFC 8785 (the `rfc8785` package).
Payloads hold no floats (amounts are strings from Decimal), no integers beyond
±(2**53 - 1), and no personal data: `check_payload` refuses them before
anything is written. docs/audit.md and docs/verify.md describe the same bytes
for independent implementations; `panjere_verify` is one.
"""

import datetime
import hashlib
import json
import re

import rfc8785

from .exceptions import UnrecordablePayload

# The hashed fields, in the order an export writes them; then "hash".
BODY_FIELDS = (
    "seq",
    "recorded_at",
    "actor",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "payload",
    "reason",
    "prev_hash",
)
RECORD_FIELDS = (*BODY_FIELDS, "hash")

# I-JSON (RFC 7493), which RFC 8785 requires: integers exactly representable as doubles.
MAX_SAFE_INTEGER = 2**53 - 1
# Keys a payload never carries: secrets, and the personal data kept in audit.Person.
FORBIDDEN_KEYS = frozenset(
    {
        "email",
        "e_mail",
        "password",
        "passphrase",
        "secret",
        "token",
        "private_key",
        "otp",
        "totp",
        "recovery_code",
        "plaintext",
        "phone",
    }
)
EMAIL_SHAPED = re.compile(r"[^\s@<>\"']+@[^\s@<>\"']+\.[^\s@<>\"']+")


# Python's encoder writes exactly RFC 8785's bytes for what payloads may hold (text,
# integers within I-JSON, booleans, null, lists, objects), with one exception: it
# orders keys by code point, RFC 8785 by UTF-16 code unit, which differ only beyond
# U+D7FF. It is five times faster than `rfc8785`, so it writes whatever has no such
# character; `rfc8785` writes the rest. tests/audit/test_canonical_json.py holds the
# two to the same bytes.
_ENCODER = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


_BEYOND_D7FF = re.compile("[\ue000-\U0010ffff]")


def canonical_json(value) -> bytes:
    """RFC 8785 canonical JSON, UTF-8."""
    text = _ENCODER.encode(value)
    if not text.isascii() and _BEYOND_D7FF.search(text):
        return rfc8785.dumps(value)
    return text.encode()


def format_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _refuse(path: str, problem: str):
    raise UnrecordablePayload(
        f"The audit record cannot hold {problem} at {path}.",
        params={"path": path, "problem": problem},
    )


def check_payload(value, path: str = "payload") -> None:
    """Refuse what would hash unfaithfully (floats, NaN, huge integers) or must not be kept.

    Raised before anything is written, so the caller's transaction never fails
    half-way through the append.
    """
    if isinstance(value, bool) or value is None or isinstance(value, str):
        if isinstance(value, str) and EMAIL_SHAPED.search(value):
            _refuse(path, "an e-mail address (personal data)")
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            _refuse(path, "an integer beyond ±(2**53 - 1): use a string")
        return
    if isinstance(value, float):
        _refuse(path, "a floating-point number: use a string (Decimal)")
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            check_payload(item, f"{path}[{position}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                _refuse(path, "a key that is not text")
            if key.lower() in FORBIDDEN_KEYS or EMAIL_SHAPED.search(key):
                _refuse(f"{path}.{key}", "a secret or personal data")
            check_payload(item, f"{path}.{key}")
        return
    _refuse(path, f"a {type(value).__name__}")


def event_body(event) -> dict:
    """The fields of an event that its hash covers."""
    return {
        "seq": event.seq,
        "recorded_at": format_time(event.recorded_at),
        "actor": event.actor_id,
        "organisation_id": event.organisation_id,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "payload": event.payload,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }


def chain_hash(prev_hash: str, canonical_body: bytes) -> str:
    """The event's hash, given its predecessor's and its canonical body."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical_body).hexdigest()


def leaf_input(event_hash: str, canonical_body: bytes) -> bytes:
    """The event's Merkle leaf: its hash's 32 bytes, then its canonical body."""
    return bytes.fromhex(event_hash) + canonical_body


def body_hash(body: dict) -> str:
    """The hash of an event given its hashed fields (as `event_body` returns them)."""
    return chain_hash(body["prev_hash"], canonical_json(body))


def event_hash(event) -> str:
    return body_hash(event_body(event))


def event_record(event) -> dict:
    """An event as exported: every hashed field and the hash, enough to re-verify it."""
    return {**event_body(event), "hash": event.hash}
