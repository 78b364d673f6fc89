"""HPKE as the envelopes and shares use it: RFC 9180's vectors, and two Python implementations.

`cryptography`'s HPKE has no AAD in its public API, so RFC 9180's vectors
(which all carry AAD) run through pyhpke, an independent implementation of
the key schedule, with its context API; then each implementation opens what
the other sealed, both ways, with empty AAD and our `info`.
"""

import json
import os
from pathlib import Path

import cryptography_vectors
import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pyhpke import AEADId, CipherSuite, KDFId, KEMId, KEMKey, OpenError

from panjere_client.keys import private_bytes, public_bytes

VECTORS = Path(cryptography_vectors.__file__).parent / "HPKE" / "test-vectors.json"
# Base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM: the suite we use.
OURS = {"mode": 0, "kem_id": 0x0020, "kdf_id": 0x0001, "aead_id": 0x0002}

PY = CipherSuite.new(KEMId.DHKEM_X25519_HKDF_SHA256, KDFId.HKDF_SHA256, AEADId.AES256_GCM)
CRYPTOGRAPHY = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def _vector():
    vectors = json.loads(VECTORS.read_text())
    ours = [
        vector
        for vector in vectors
        if all(int(vector[name]) == value for name, value in OURS.items())
    ]
    assert len(ours) == 1
    return {
        name: (value if isinstance(value, list) else bytes.fromhex(value))
        if name not in OURS
        else value
        for name, value in ours[0].items()
    }


def test_the_rfc_9180_vector_of_our_suite():
    # given RFC 9180's base-mode vector for our suite (A.6.1 in the cryptography vectors)
    vector = _vector()
    receiver = PY.kem.derive_key_pair(vector["ikmR"])
    ephemeral = PY.kem.derive_key_pair(vector["ikmE"])

    # then the derived keys are the vector's
    assert receiver.private_key.to_private_bytes() == vector["skRm"]
    assert receiver.public_key.to_public_bytes() == vector["pkRm"]
    assert ephemeral.private_key.to_private_bytes() == vector["skEm"]

    # and the sender, with that ephemeral key, makes the vector's enc and every ciphertext
    enc, sender = PY.create_sender_context(receiver.public_key, vector["info"], eks=ephemeral)
    recipient = PY.create_recipient_context(enc, receiver.private_key, vector["info"])
    assert enc == vector["enc"]
    assert len(vector["encryptions"]) == 257
    for encryption in vector["encryptions"]:
        aad, pt, ct = (bytes.fromhex(encryption[name]) for name in ("aad", "pt", "ct"))
        assert sender.seal(pt, aad) == ct
        assert recipient.open(ct, aad) == pt

    # and the exporter gives the vector's values
    for export in vector["exports"]:
        context = bytes.fromhex(export["exporter_context"])
        assert recipient.export(context, export["L"]).hex() == export["exported_value"]


def test_the_vectors_receiver_key_opens_through_cryptography_once_its_own_seal():
    # cryptography cannot replay the vector (no AAD, no chosen ephemeral key), but the
    # vector's receiver key pair is a valid key for it: what it seals, pyhpke opens
    vector = _vector()
    private = X25519PrivateKey.from_private_bytes(vector["skRm"])
    assert public_bytes(private.public_key()) == vector["pkRm"]

    sealed = CRYPTOGRAPHY.encrypt(
        b"Beauty is truth, truth beauty", private.public_key(), info=vector["info"]
    )
    recipient = PY.create_recipient_context(
        sealed[:32], PY.kem.deserialize_private_key(vector["skRm"]), vector["info"]
    )
    assert recipient.open(sealed[32:]) == b"Beauty is truth, truth beauty"


INFOS = [b"", b'{"context":{"kind":"financial"}}', os.urandom(2000)]


@pytest.mark.parametrize("info", INFOS, ids=["empty", "json", "2000-bytes"])
@pytest.mark.parametrize("size", [0, 32, 33, 5000])
def test_cryptography_seals_and_pyhpke_opens(info, size):
    receiver = X25519PrivateKey.generate()
    plaintext = os.urandom(size)

    sealed = CRYPTOGRAPHY.encrypt(plaintext, receiver.public_key(), info=info)

    key = KEMKey.from_pyca_cryptography_key(receiver)
    recipient = PY.create_recipient_context(sealed[:32], key, info)
    assert recipient.open(sealed[32:]) == plaintext


@pytest.mark.parametrize("info", INFOS, ids=["empty", "json", "2000-bytes"])
@pytest.mark.parametrize("size", [0, 32, 33, 5000])
def test_pyhpke_seals_and_cryptography_opens(info, size):
    receiver = X25519PrivateKey.generate()
    plaintext = os.urandom(size)

    public = PY.kem.deserialize_public_key(public_bytes(receiver.public_key()))
    enc, sender = PY.create_sender_context(public, info)
    sealed = enc + sender.seal(plaintext)

    assert CRYPTOGRAPHY.decrypt(sealed, receiver, info=info) == plaintext


def test_either_refuses_another_info():
    receiver = X25519PrivateKey.generate()
    sealed = CRYPTOGRAPHY.encrypt(b"k" * 32, receiver.public_key(), info=b"tender A")

    key = PY.kem.deserialize_private_key(private_bytes(receiver))
    with pytest.raises(OpenError):
        PY.create_recipient_context(sealed[:32], key, b"tender B").open(sealed[32:])
    with pytest.raises(InvalidTag):
        CRYPTOGRAPHY.decrypt(sealed, receiver, info=b"tender B")
