"""The platform's receipts of submissions: signed with its Ed25519 key, checked by anyone.

The format is docs/sealing.md's ("The receipt"), written and verified by
`panjere_client.receipts`, the same code the supplier's CLI runs.
"""

from audit.chain import format_time
from audit.selectors import key_set
from core import signing
from panjere_client import receipts as client_receipts


def receipt_sign(*, bid, envelopes, received_at, audit_seq: int, checkpoint) -> dict:
    """The signed receipt of `bid` (its envelopes' hashes and sizes, the time, the event)."""
    fields = {
        "tender": bid.tender.ocid,
        "lot": str(bid.lot.number),
        "bid": str(bid.pk),
        "bid_version": bid.version,
        "supplier": str(bid.supplier_id),
        "envelopes": [
            {"kind": envelope.kind, "sha256": envelope.sha256, "size": envelope.size}
            for envelope in sorted(envelopes, key=lambda envelope: envelope.kind)
        ],
        "received_at": format_time(received_at),
        "audit_seq": audit_seq,
        "checkpoint": None
        if checkpoint is None
        else {"size": checkpoint.size, "root_hash": checkpoint.root_hash},
    }
    return client_receipts.sign_receipt(fields, signing.current_key().private)


def receipt_verify(document) -> client_receipts.Receipt:
    """The receipt once its format and signature check out against the platform's keys.

    Raises `panjere_client.receipts.ReceiptError` (a subclass per reason) otherwise.
    """
    return client_receipts.verify_receipt(document, key_set())
