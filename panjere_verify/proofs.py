"""Verify inclusion and consistency proofs against signed checkpoints.

An inclusion proof shows that event `seq` (leaf `seq - 1`, whose hash is
`leaf_hash`) is in the tree a checkpoint signed; a consistency proof shows
that the tree of a newer checkpoint extends the tree of an older one, so the
log only grew between them.
"""

import os
import re
from collections.abc import Mapping

from .events import MalformedRecord, event_hash, event_leaf_hash
from .inputs import load_document, require_fields
from .merkle import EMPTY_ROOT, verify_consistency, verify_inclusion
from .reports import Failure, Report, UnusableInput
from .signatures import Checkpoint, KeySet, check_signature, load_checkpoint, load_keys

Document = Mapping | str | os.PathLike
_HEX64 = re.compile(r"[0-9a-f]{64}")


def verify_checkpoint(checkpoint: Checkpoint | Document, keys: KeySet | Document) -> Report:
    """Verify a checkpoint's signature with the key set."""
    loaded = load_checkpoint(checkpoint)
    try:
        key = check_signature(loaded, load_keys(keys))
    except Failure as failure:
        return Report.failed(failure)
    return Report(
        True,
        f"checkpoint of the log {loaded.log!r} at size {loaded.size}, "
        f"root {loaded.root_hash.hex()}, recorded at {loaded.recorded_at}, "
        f"signed by the {key.status} key {key.key_id}",
    )


def verify_inclusion_proof(
    proof: Document,
    checkpoint: Checkpoint | Document,
    keys: KeySet | Document,
    event: Document | None = None,
) -> Report:
    """Verify that the proof's event is in the checkpoint's tree; if given, that it is `event`."""
    document, name = load_document(proof, "the inclusion proof")
    fields = {
        "log": str,
        "seq": int,
        "leaf_index": int,
        "tree_size": int,
        "leaf_hash": str,
        "path": list,
    }
    require_fields(document, fields, name)
    seq = document["seq"]
    if seq < 1:
        raise UnusableInput(f"{name}: 'seq' is {seq}; sequence numbers start at 1")
    if document["leaf_index"] != seq - 1:
        raise UnusableInput(f"{name}: 'leaf_index' is not 'seq' - 1")
    leaf = _hash(document["leaf_hash"], name, "leaf_hash")
    path = [_hash(node, name, "path") for node in document["path"]]
    signed = load_checkpoint(checkpoint)
    record = None if event is None else load_document(event, "the event")
    try:
        key = check_signature(signed, load_keys(keys))
        _same_log(document["log"], signed)
        if document["tree_size"] != signed.size:
            raise Failure(
                "size_mismatch",
                f"the proof is for a tree of {document['tree_size']} events, "
                f"{signed.label} covers {signed.size}",
            )
        if record is not None:
            _check_event(*record, document)
        if not verify_inclusion(leaf, seq - 1, signed.size, path, signed.root_hash):
            raise Failure(
                "not_included",
                f"the inclusion proof does not lead from the event's leaf to the root of "
                f"{signed.label}",
                seq,
            )
    except Failure as failure:
        return Report.failed(failure)
    checked = ", its record checked" if record is not None else ""
    return Report(
        True,
        f"event {seq} is in the log {signed.log!r} of {signed.size} events{checked}; "
        f"checkpoint signed by the {key.status} key {key.key_id}",
    )


def verify_consistency_proof(
    proof: Document,
    old: Checkpoint | Document,
    new: Checkpoint | Document,
    keys: KeySet | Document,
) -> Report:
    """Verify that the new checkpoint's tree extends the old one's."""
    document, name = load_document(proof, "the consistency proof")
    require_fields(document, {"log": str, "first": int, "second": int, "path": list}, name)
    path = [_hash(node, name, "path") for node in document["path"]]
    older, newer = load_checkpoint(old), load_checkpoint(new)
    key_set = load_keys(keys)
    try:
        check_signature(older, key_set)
        check_signature(newer, key_set)
        _same_log(document["log"], older)
        _same_log(document["log"], newer)
        for field, checkpoint in (("first", older), ("second", newer)):
            if document[field] != checkpoint.size:
                raise Failure(
                    "size_mismatch",
                    f"the proof's {field} size is {document[field]}, "
                    f"but the {'old' if field == 'first' else 'new'} checkpoint's is "
                    f"{checkpoint.size}",
                )
        if not _consistent(older, newer, path):
            raise Failure(
                "not_consistent",
                f"the proof does not show that the log of {newer.size} events extends "
                f"the log of {older.size} events",
            )
    except Failure as failure:
        return Report.failed(failure)
    return Report(
        True,
        f"the log {newer.log!r} of {newer.size} events extends its checkpoint of "
        f"{older.size} events",
    )


def _consistent(older: Checkpoint, newer: Checkpoint, path: list[bytes]) -> bool:
    if older.size == 0:
        # Every tree extends the empty one; RFC 9162 defines no proof for it.
        return older.root_hash == EMPTY_ROOT and not path
    return verify_consistency(older.size, newer.size, older.root_hash, newer.root_hash, path)


def _check_event(record: dict, name: str, proof: Mapping) -> None:
    """Check that the event record is the one the proof is about."""
    seq = proof["seq"]
    try:
        recomputed = event_hash(record)
        leaf = event_leaf_hash(record)
    except MalformedRecord as error:
        raise UnusableInput(f"{name}: {error}") from None
    if record["seq"] != seq:
        raise Failure(
            "event_mismatch", f"the event given is event {record['seq']}, not event {seq}", seq
        )
    if recomputed != record["hash"]:
        raise Failure("altered", "the event's content does not match its hash", seq)
    if leaf != proof["leaf_hash"]:
        raise Failure("leaf_mismatch", "the event's leaf hash is not the proof's leaf_hash", seq)


def _same_log(log: str, checkpoint: Checkpoint) -> None:
    if log != checkpoint.log:
        raise Failure(
            "wrong_log",
            f"the proof is of the log {log!r}, {checkpoint.label} of the log {checkpoint.log!r}",
        )


def _hash(value: object, name: str, field: str) -> bytes:
    if not (isinstance(value, str) and _HEX64.fullmatch(value)):
        raise UnusableInput(f"{name}: {field!r} holds something other than 64 lowercase hex digits")
    return bytes.fromhex(value)
