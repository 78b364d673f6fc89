"""The platform's signed receipt: verified with the key set, refused when altered."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from panjere_client import receipts
from panjere_client.envelope import Context
from panjere_client.jcs import canonicalize
from panjere_client.receipts import (
    BadSignature,
    MalformedKeySet,
    MalformedReceipt,
    ReceiptMismatch,
    UnknownKey,
)

FIELDS = {
    "tender": "ocds-pnjr01-000042",
    "lot": "1",
    "bid": "b-901",
    "bid_version": 2,
    "supplier": "17",
    "envelopes": [
        {"kind": "technical", "sha256": "ab" * 32, "size": 1_000_393},
        {"kind": "financial", "sha256": "cd" * 32, "size": 2_048},
    ],
    "received_at": "2026-05-10T06:29:59.123456Z",
    "audit_seq": 1201,
    "checkpoint": {"size": 1200, "root_hash": "ef" * 32},
}


def _entry(key, status="current"):
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return {
        "key_id": receipts.key_id(raw),
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(raw).decode(),
        "status": status,
    }


@pytest.fixture
def signer():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def keys(signer):
    return {
        "log": "panjere-audit",
        "keys": [_entry(Ed25519PrivateKey.generate(), "retired"), _entry(signer)],
    }


def test_a_signed_receipt_verifies(signer, keys, tmp_path):
    receipt = receipts.sign_receipt(FIELDS, signer)
    (tmp_path / "keys.json").write_text(json.dumps(keys))

    verified = receipts.verify_receipt(json.dumps(receipt), tmp_path / "keys.json")

    assert verified.key_status == "current"
    assert (verified.tender, verified.bid_version, verified.audit_seq) == (
        "ocds-pnjr01-000042",
        2,
        1201,
    )
    assert verified.envelope("financial").size == 2048
    # the signature covers the JCS of every other member, key_id and type included
    signed = {name: value for name, value in receipt.items() if name != "signature"}
    signer.public_key().verify(base64.b64decode(receipt["signature"]), canonicalize(signed))
    assert set(receipt) == {*FIELDS, "type", "format", "key_id", "signature"}
    assert receipt["type"] == "panjere.bid_receipt"


def test_a_retired_key_still_verifies_what_it_signed(keys):
    old = Ed25519PrivateKey.generate()
    keys["keys"][0] = _entry(old, "retired")

    assert receipts.verify_receipt(receipts.sign_receipt(FIELDS, old), keys).key_status == (
        "retired"
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("bid_version", 3),
        ("supplier", "18"),
        ("lot", None),
        ("received_at", "2026-05-10T06:30:00.123456Z"),
        ("audit_seq", 1202),
        ("envelopes", [{"kind": "technical", "sha256": "ab" * 32, "size": 1_000_393}]),
        ("checkpoint", {"size": 1199, "root_hash": "ef" * 32}),
    ],
)
def test_an_altered_field_is_refused(signer, keys, field, value):
    receipt = {**receipts.sign_receipt(FIELDS, signer), field: value}

    with pytest.raises(BadSignature):
        receipts.verify_receipt(receipt, keys)


def test_an_unknown_key_is_refused(keys):
    stranger = Ed25519PrivateKey.generate()

    with pytest.raises(UnknownKey):
        receipts.verify_receipt(receipts.sign_receipt(FIELDS, stranger), keys)


def test_a_key_id_pointed_at_another_key_is_refused(signer, keys):
    stranger = Ed25519PrivateKey.generate()
    forged = {**receipts.sign_receipt(FIELDS, stranger), "key_id": keys["keys"][1]["key_id"]}

    with pytest.raises(BadSignature):
        receipts.verify_receipt(forged, keys)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.pop("audit_seq"),
        lambda r: r.update(extra=1),
        lambda r: r.update(received_at="2026-05-10 06:29:59"),
        lambda r: r.update(bid_version="2"),
        lambda r: r.update(envelopes=[]),
        lambda r: r.update(envelopes=[FIELDS["envelopes"][0]] * 2),
        lambda r: r.update(signature="short"),
        lambda r: r.update(type="panjere.checkpoint"),
    ],
)
def test_a_receipt_not_in_the_format(signer, keys, change):
    receipt = receipts.sign_receipt(FIELDS, signer)
    change(receipt)

    with pytest.raises(MalformedReceipt):
        receipts.verify_receipt(receipt, keys)


def test_a_key_set_not_in_the_format(signer, keys):
    receipt = receipts.sign_receipt(FIELDS, signer)
    keys["keys"][1]["key_id"] = "00" * 16

    with pytest.raises(MalformedKeySet):
        receipts.verify_receipt(receipt, keys)


def test_a_receipt_checked_against_an_envelope(signer, keys):
    verified = receipts.verify_receipt(receipts.sign_receipt(FIELDS, signer), keys)
    context = Context(
        tender="ocds-pnjr01-000042", lot="1", kind="financial", supplier="17", bid_version=2
    )

    verified.check_envelope(kind="financial", sha256="cd" * 32, size=2048, context=context)
    with pytest.raises(ReceiptMismatch):
        verified.check_envelope(kind="financial", sha256="cd" * 32, size=2047)
    with pytest.raises(ReceiptMismatch):
        verified.check_envelope(kind="single", sha256="cd" * 32, size=2048)
    with pytest.raises(ReceiptMismatch):
        verified.check_envelope(
            kind="financial",
            sha256="cd" * 32,
            size=2048,
            context=Context(**{**context.to_json(), "bid_version": 1}),
        )
