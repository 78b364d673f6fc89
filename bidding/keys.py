"""The tender public keys that envelopes are sealed to, read from the tenders app.

The keys belong to the tender's floor (`tenders.TenderKey`, made at
publication by `tenders.keys.tender_keys_generate`); bidding only reads them,
through this one selector, to check that an envelope is sealed to the key the
notice publishes.
"""

import base64

from django.apps import apps
from django.utils.translation import gettext as _

from .exceptions import TenderKeyMissing


def envelope_kinds(tender) -> tuple[str, ...]:
    """The envelope kinds a bid for `tender` carries: single, or technical and financial."""
    scheme = getattr(tender, "envelopes", None) or tender.envelope_scheme
    return ("technical", "financial") if scheme == "two" else ("single",)


def _raw(value) -> bytes:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, bytes):
        return value
    return base64.b64decode(value, validate=True)


def tender_public_key(tender, kind: str) -> bytes:
    """The raw 32-byte X25519 public key the tender publishes for envelopes of `kind`."""
    try:
        model = apps.get_model("tenders", "TenderKey")
    except LookupError:
        model = None
    row = None
    if model is not None:
        row = model.objects.filter(tender=tender, kind=kind).values_list("public_key", flat=True)
        row = row.first()
    if row is None:
        raise TenderKeyMissing(
            _("The tender has no published %(kind)s key: no envelope can be sealed to it.")
            % {"kind": kind},
            params={"kind": kind},
        )
    return _raw(row)
