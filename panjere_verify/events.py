"""An exported event record: its format, its hash and its Merkle leaf.

    hash       = SHA-256( bytes.fromhex(prev_hash) || JCS(body) )
    leaf input = bytes.fromhex(hash) || JCS(body)
    leaf hash  = SHA-256( 0x00 || leaf input )

where the body is the record without its `hash` and JCS is RFC 8785.
"""

import hashlib
import re
from collections.abc import Mapping

from .inputs import describe_fields
from .jcs import CanonicalizationError, canonicalize

GENESIS_HASH = "0" * 64

# The type of each field of a record; the body is every field but "hash".
FIELDS: dict[str, type | tuple[type, ...]] = {
    "seq": int,
    "recorded_at": str,
    "actor": (str, type(None)),
    "organisation_id": (int, type(None)),
    "role": str,
    "action": str,
    "object_type": str,
    "object_id": str,
    "object_repr": str,
    "payload": dict,
    "reason": str,
    "prev_hash": str,
    "hash": str,
}
_FIELD_NAMES = frozenset(FIELDS)
_HEX64 = re.compile(r"[0-9a-f]{64}")
_MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


class MalformedRecord(ValueError):
    """A record that is not in the export format."""


def canonical_body(record: object) -> bytes:
    """Check a record's format; return JCS of its body. Raises MalformedRecord."""
    if not isinstance(record, Mapping):
        raise MalformedRecord(f"a record is a JSON object, not {_json_type(record)}")
    if record.keys() != _FIELD_NAMES:
        problem = describe_fields(record.keys(), _FIELD_NAMES)
        raise MalformedRecord(f"the record's fields are not the export's ({problem})")
    for name, kind in FIELDS.items():
        value = record[name]
        if not isinstance(value, kind) or (value is True or value is False):
            raise MalformedRecord(f"{name!r} is {_json_type(value)}, of the wrong type")
    if record["seq"] < 1:
        raise MalformedRecord(f"'seq' is {record['seq']}; sequence numbers start at 1")
    if not _MOMENT.fullmatch(record["recorded_at"]):
        raise MalformedRecord("'recorded_at' is not YYYY-MM-DDTHH:MM:SS.ffffffZ")
    for name in ("prev_hash", "hash"):
        if not _HEX64.fullmatch(record[name]):
            raise MalformedRecord(f"{name!r} is not 64 lowercase hexadecimal digits")
    body = dict(record)
    del body["hash"]
    try:
        return canonicalize(body)
    except CanonicalizationError as error:
        raise MalformedRecord(str(error)) from None


def event_hash(record: Mapping) -> str:
    """Return the hash a record should carry, recomputed from its body (hex)."""
    body = canonical_body(record)
    return hashlib.sha256(bytes.fromhex(record["prev_hash"]) + body).hexdigest()


def event_leaf_hash(record: Mapping) -> str:
    """Return the Merkle leaf hash of a record, from its `hash` and body (hex)."""
    body = canonical_body(record)
    return hashlib.sha256(b"\x00" + bytes.fromhex(record["hash"]) + body).hexdigest()


def _json_type(value: object) -> str:
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    names.update({int: "an integer", float: "a floating-point number", type(None): "null"})
    return names.get(type(value), f"a {type(value).__name__}")
