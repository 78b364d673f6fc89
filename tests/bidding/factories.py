"""Published tenders with tender keys, bidders, and envelopes sealed by the CLI's code."""

import io

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.core.files.uploadedfile import SimpleUploadedFile

from panjere_client import envelope
from tests.tenders.factories import NOW, SUBMISSION_DEADLINE, eligible_supplier, tender_in_state

__all__ = ["NOW", "SUBMISSION_DEADLINE", "TenderKeys", "bidder", "published", "seal"]


class TenderKeys:
    """One X25519 key pair per envelope kind, standing in for the keys made at publication.

    Until the keys branch's `tenders.TenderKey` rows exist, tests patch
    `bidding.keys.tender_public_key` to read these (the private halves stay the test's).
    """

    def __init__(self):
        self.private = {kind: X25519PrivateKey.generate() for kind in envelope.KINDS}

    def public(self, kind: str) -> bytes:
        return self.private[kind].public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    def lookup(self, tender, kind: str) -> bytes:
        return self.public(kind)


def published(**overrides):
    """A published tender (single envelope unless told), its first lot, and its team."""
    tender, team = tender_in_state("published", **overrides)
    return tender, tender.lots.order_by("number").first(), team


def bidder(**overrides):
    """An eligible supplier and its admin (who may submit bids)."""
    return eligible_supplier(**overrides)


def context(tender, lot, supplier, kind, version=1, overrides=None) -> envelope.Context:
    fields = {
        "tender": tender.ocid,
        "lot": str(lot.number),
        "kind": kind,
        "supplier": str(supplier.pk),
        "bid_version": version,
    }
    fields.update(overrides or {})
    return envelope.Context(**fields)


def seal(
    keys: TenderKeys,
    tender,
    lot,
    supplier,
    kind="single",
    version=1,
    plaintext=None,
    *,
    sealed_kind=None,
    overrides=None,
) -> bytes:
    """The bytes of an envelope sealed to the tender's `kind` key, as the CLI seals.

    `sealed_kind` seals to another kind's key; `overrides` changes context fields.
    """
    plaintext = plaintext if plaintext is not None else f"{kind} offer v{version}".encode() * 50
    out = io.BytesIO()
    envelope.seal(
        io.BytesIO(plaintext),
        out,
        public_key=keys.public(sealed_kind or kind),
        context=context(tender, lot, supplier, kind, version, overrides),
        chunk_size=1024,
    )
    return out.getvalue()


def upload(data: bytes, name="envelope.pje") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
