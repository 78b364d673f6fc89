"""The hash chain: canonical JSON of an event and its hash.

hash = SHA-256(bytes(prev_hash) || canonical_json(event without its hash)),
where canonical JSON has sorted keys, no insignificant whitespace and UTF-8
text. The standalone verifier reimplements exactly this.
"""

import datetime
import hashlib
import json


def canonical_json(value) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def format_time(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# The fields of an exported event, in order: the hashed fields, then the hash.
RECORD_FIELDS = (
    "seq",
    "recorded_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "role",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "payload",
    "reason",
    "prev_hash",
    "hash",
)


def event_body(event) -> dict:
    """The fields of an event that its hash covers."""
    return {
        "seq": event.seq,
        "recorded_at": format_time(event.recorded_at),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
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


def body_hash(body: dict) -> str:
    """The hash of an event given its hashed fields (as `event_body` returns them)."""
    return hashlib.sha256(bytes.fromhex(body["prev_hash"]) + canonical_json(body)).hexdigest()


def event_hash(event) -> str:
    return body_hash(event_body(event))


def event_record(event) -> dict:
    """An event as exported: every hashed field and the hash, enough to re-verify it."""
    return {**event_body(event), "hash": event.hash}
