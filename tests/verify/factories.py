"""Exports, checkpoints, key sets and proofs built the way the server builds them.

Straight from the formats, with hashlib, rfc8785 and `cryptography`: no
code of the verifier under test, and no database.
"""

import base64
import datetime
import hashlib
import json
from pathlib import Path

import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tests.audit import merkle_reference as rfc

LOG = "panjere-audit"
GENESIS_HASH = "0" * 64
FIRST_MOMENT = datetime.datetime(2026, 3, 21, 6, 30, tzinfo=datetime.UTC)


def rehash(record: dict) -> dict:
    """Return the record (or body) with its hash recomputed from its body."""
    body = {name: value for name, value in record.items() if name != "hash"}
    digest = hashlib.sha256(bytes.fromhex(body["prev_hash"]) + rfc8785.dumps(body)).hexdigest()
    return {**body, "hash": digest}


def make_body(seq: int, prev_hash: str, **fields) -> dict:
    """Return the body of event `seq` (the record without its hash), with plausible fields."""
    moment = FIRST_MOMENT + datetime.timedelta(minutes=seq)
    return {
        "seq": seq,
        "recorded_at": moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor": None if seq % 3 == 0 else f"actor-{seq % 7:04d}",
        "organisation_id": None if seq % 3 == 0 else 40 + seq % 5,
        "role": "" if seq % 3 == 0 else "procurement_officer",
        "action": ("tender.published", "bid.submitted", "tender.closed")[seq % 3],
        "object_type": "tenders.tender",
        "object_id": str(1000 + seq // 3),
        "object_repr": f"جاده {seq} — Road {seq}",
        "payload": {"lots": seq % 4, "title": f"Road {seq}", "notes": ["a\tb", "\u2028", "😀"]},
        "reason": "" if seq % 2 else "Approved by the board",
        "prev_hash": prev_hash,
        **fields,
    }


def make_record(seq: int, prev_hash: str, **fields) -> dict:
    """Return event `seq` as exported, linked to `prev_hash`."""
    return rehash(make_body(seq, prev_hash, **fields))


def build_chain(n: int) -> list[dict]:
    """Return events 1..n as exported."""
    records, prev = [], GENESIS_HASH
    for seq in range(1, n + 1):
        records.append(make_record(seq, prev))
        prev = records[-1]["hash"]
    return records


def relink(records: list[dict]) -> list[dict]:
    """Return the records with every prev_hash and hash recomputed in order: a rewrite."""
    rewritten, prev = [], GENESIS_HASH
    for record in records:
        rewritten.append(rehash({**record, "prev_hash": prev}))
        prev = rewritten[-1]["hash"]
    return rewritten


def leaf_input(record: dict) -> bytes:
    body = {name: value for name, value in record.items() if name != "hash"}
    return bytes.fromhex(record["hash"]) + rfc8785.dumps(body)


def leaf_hashes(records: list[dict]) -> list[bytes]:
    return [rfc.leaf(leaf_input(record)) for record in records]


class Signer:
    """A fresh Ed25519 log key."""

    def __init__(self) -> None:
        self.private_key = Ed25519PrivateKey.generate()
        self.raw = self.private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.key_id = hashlib.sha256(self.raw).digest()[:16].hex()
        self.public_b64 = base64.b64encode(self.raw).decode()

    def entry(self, status: str = "current") -> dict:
        return {
            "key_id": self.key_id,
            "algorithm": "Ed25519",
            "public_key": self.public_b64,
            "status": status,
        }


def key_set(*entries: dict, log: str = LOG) -> dict:
    return {"log": log, "keys": list(entries)}


def sign(unsigned: dict, signer: Signer) -> dict:
    """Return the checkpoint with its signature over JCS(checkpoint without signature)."""
    signature = signer.private_key.sign(rfc8785.dumps(unsigned))
    return {**unsigned, "signature": base64.b64encode(signature).decode()}


def checkpoint_of_root(size: int, root: bytes, signer: Signer, log: str = LOG) -> dict:
    unsigned = {
        "log": log,
        "size": size,
        "root_hash": root.hex(),
        "recorded_at": (FIRST_MOMENT + datetime.timedelta(hours=size)).strftime(
            "%Y-%m-%dT%H:%M:%S.%fZ"
        ),
        "key_id": signer.key_id,
    }
    return sign(unsigned, signer)


def checkpoint(records: list[dict], size: int, signer: Signer, log: str = LOG) -> dict:
    """Return the signed checkpoint of the first `size` records."""
    return checkpoint_of_root(size, rfc.mth(leaf_hashes(records[:size])), signer, log)


def inclusion_proof(records: list[dict], seq: int, size: int, log: str = LOG) -> dict:
    leaves = leaf_hashes(records[:size])
    return {
        "log": log,
        "seq": seq,
        "leaf_index": seq - 1,
        "tree_size": size,
        "leaf_hash": leaves[seq - 1].hex(),
        "path": [h.hex() for h in rfc.path(seq - 1, leaves)],
    }


def consistency_proof(records: list[dict], first: int, second: int, log: str = LOG) -> dict:
    proof = rfc.proof(first, leaf_hashes(records[:second]))
    return {"log": log, "first": first, "second": second, "path": [h.hex() for h in proof]}


def write_json(path: Path, value) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_jsonl(path: Path, records) -> Path:
    with path.open("w", encoding="utf-8") as export:
        for record in records:
            line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
            export.write(line + "\n")
    return path
