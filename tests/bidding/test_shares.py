"""A tender key share sealed to a member, and opened by that member alone."""

import base64
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from panjere_client import shares
from panjere_client.keys import fingerprint
from panjere_client.shares import MalformedShare, ShareContext, ShareMismatch


@pytest.fixture
def share_context(tender_key):
    return ShareContext(
        tender="ocds-pnjr01-000042",
        kind="financial",
        member="m-7",
        tender_key=fingerprint(tender_key.public_key()),
    )


def test_the_member_opens_the_share_sealed_to_them(share_context):
    member = X25519PrivateKey.generate()
    share = os.urandom(33)

    sealed = shares.seal_share(share, member_public_key=member.public_key(), context=share_context)

    assert len(sealed) == 81
    assert shares.open_share(sealed, private_key=member, context=share_context) == share
    assert (
        shares.open_share(
            base64.b64encode(sealed).decode(),
            private_key=member,
            context=share_context.__dict__,
        )
        == share
    )


@pytest.mark.parametrize("field", ["tender", "kind", "member", "tender_key"])
def test_another_context_does_not_open(share_context, field):
    member = X25519PrivateKey.generate()
    sealed = shares.seal_share(
        b"s" * 33, member_public_key=member.public_key(), context=share_context
    )
    other = {
        **share_context.__dict__,
        field: {
            "tender": "ocds-pnjr01-000043",
            "kind": "technical",
            "member": "m-8",
            "tender_key": "00" * 32,
        }[field],
    }

    with pytest.raises(ShareMismatch):
        shares.open_share(sealed, private_key=member, context=other)


def test_another_member_or_an_altered_share_does_not_open(share_context):
    member = X25519PrivateKey.generate()
    sealed = shares.seal_share(
        b"s" * 33, member_public_key=member.public_key(), context=share_context
    )

    with pytest.raises(ShareMismatch):
        shares.open_share(sealed, private_key=X25519PrivateKey.generate(), context=share_context)
    with pytest.raises(ShareMismatch):
        shares.open_share(
            sealed[:-1] + bytes([sealed[-1] ^ 1]), private_key=member, context=share_context
        )
    with pytest.raises(MalformedShare):
        shares.open_share(sealed[:48], private_key=member, context=share_context)
    with pytest.raises(MalformedShare):
        shares.open_share("not base64!", private_key=member, context=share_context)


def test_the_info_is_the_documented_json(share_context):
    member = X25519PrivateKey.generate()
    member_key = fingerprint(member.public_key())
    tender_key = share_context.tender_key

    assert (
        share_context.info(member.public_key())
        == (
            f'{{"format":1,"kind":"financial","member":"m-7","member_key":"{member_key}",'
            f'"purpose":"panjere-tender-key-share","tender":"ocds-pnjr01-000042",'
            f'"tender_key":"{tender_key}"}}'
        ).encode()
    )
