"""A committee member's key file: made, unlocked, re-locked; the wrong passphrase refused."""

import json
import stat

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from panjere_client import member_keys
from panjere_client.keys import private_bytes, public_bytes
from panjere_client.member_keys import (
    MalformedKeyFile,
    MemberKeyFile,
    WeakPassphrase,
    WrongPassphrase,
)

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(scope="module")
def made():
    return member_keys.create(PASSPHRASE)


def test_a_key_file_unlocks_with_its_passphrase(made):
    key_file, private_key = made

    unlocked = member_keys.unlock(MemberKeyFile.loads(key_file.dumps()), PASSPHRASE)

    assert private_bytes(unlocked) == private_bytes(private_key)
    assert key_file.public_key == public_bytes(private_key.public_key())
    assert len(key_file.fingerprint) == 64


def test_the_file_is_the_documented_json(made):
    key_file, _ = made
    document = json.loads(key_file.dumps())

    assert key_file.dumps() == json.dumps(document, indent=2, sort_keys=True) + "\n"
    assert document["format"] == "panjere-member-key"
    assert document["version"] == 1
    assert document["kdf"] == {
        "algorithm": "argon2id",
        "version": 19,
        "memory_kib": 19456,
        "iterations": 2,
        "parallelism": 1,
        "salt": document["kdf"]["salt"],
    }
    assert document["cipher"]["algorithm"] == "aes-256-gcm"
    assert set(document) == {
        "format",
        "version",
        "public_key",
        "kdf",
        "cipher",
        "encrypted_private_key",
    }


def test_the_derived_key_is_argon2id_of_the_nfc_passphrase(made):
    key_file, _ = made
    expected = Argon2id(
        salt=key_file.salt, length=32, iterations=2, lanes=1, memory_cost=19456
    ).derive(PASSPHRASE.encode())

    assert member_keys.derive_key(PASSPHRASE, key_file.salt, key_file.parameters) == expected
    # "é" typed composed or decomposed is one passphrase
    assert member_keys.derive_key(
        "caf\u00e9 caf\u00e9 caf\u00e9", key_file.salt, key_file.parameters
    ) == member_keys.derive_key(
        "cafe\u0301 cafe\u0301 cafe\u0301", key_file.salt, key_file.parameters
    )


def test_the_wrong_passphrase_is_refused(made):
    key_file, _ = made

    with pytest.raises(WrongPassphrase, match="does not unlock"):
        member_keys.unlock(key_file, PASSPHRASE + " ")


def test_a_new_passphrase_keeps_the_key_pair(made):
    key_file, private_key = made

    changed = member_keys.change_passphrase(key_file, PASSPHRASE, "a much longer new one")

    assert changed.public_key == key_file.public_key
    assert changed.salt != key_file.salt
    assert private_bytes(member_keys.unlock(changed, "a much longer new one")) == private_bytes(
        private_key
    )
    with pytest.raises(WrongPassphrase):
        member_keys.unlock(changed, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        member_keys.change_passphrase(key_file, "not the passphrase", "a much longer new one")


def test_short_passphrases_are_refused_for_new_files(made):
    with pytest.raises(WeakPassphrase):
        member_keys.create("short")
    with pytest.raises(WeakPassphrase):
        member_keys.change_passphrase(made[0], PASSPHRASE, "eleven char")


def _edited(key_file, change) -> str:
    document = json.loads(key_file.dumps())
    change(document)
    return json.dumps(document)


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["kdf"].update(memory_kib=1024),
        lambda d: d["kdf"].update(iterations=1, memory_kib=19456),
        lambda d: d["kdf"].update(memory_kib=4 * 1024 * 1024),
        lambda d: d["kdf"].update(algorithm="scrypt"),
        lambda d: d["kdf"].update(salt="AAAA"),
        lambda d: d.update(version=2),
        lambda d: d.update(comment="x"),
        lambda d: d.pop("cipher"),
        lambda d: d.update(public_key=d["public_key"][:-4]),
    ],
    ids=[
        "weak-memory",
        "weak-total",
        "huge-memory",
        "scrypt",
        "short-salt",
        "version",
        "extra",
        "missing",
        "short-key",
    ],
)
def test_files_not_in_the_format_or_too_weak(made, change):
    with pytest.raises(MalformedKeyFile):
        MemberKeyFile.loads(_edited(made[0], change))


def test_a_swapped_public_key_does_not_unlock(made):
    other, _ = member_keys.create("another member's passphrase")
    swapped = MemberKeyFile.loads(
        _edited(made[0], lambda d: d.update(public_key=json.loads(other.dumps())["public_key"]))
    )

    with pytest.raises(WrongPassphrase):  # the public key is in the AAD
        member_keys.unlock(swapped, PASSPHRASE)


def test_the_file_is_written_for_its_owner_only(made, tmp_path):
    path = tmp_path / "member.key"

    member_keys.write_key_file(path, made[0])

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert member_keys.read_key_file(path) == made[0]
    assert [p.name for p in tmp_path.iterdir()] == ["member.key"]
