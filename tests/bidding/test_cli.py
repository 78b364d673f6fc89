"""The `panjere` command end to end, run as a user runs it: in a subprocess."""

import base64
import io
import json
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from panjere_client import bundle, envelope, member_keys, receipts, shares
from panjere_client.keys import fingerprint, private_bytes, public_bytes

from .envelopes import flip

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple"


def panjere(*args, stdin: str | None = None, cwd: Path = ROOT):
    done = subprocess.run(
        [sys.executable, "-m", "panjere_client", *map(str, args)],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        start_new_session=True,  # no controlling terminal: getpass reads standard input
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def work(tmp_path):
    (tmp_path / "pass.txt").write_text(PASSPHRASE + "\n")
    (tmp_path / "new.txt").write_text("a brand new passphrase\n")
    return tmp_path


def test_it_is_installed_as_panjere():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())

    assert project["project"]["scripts"]["panjere"] == "panjere_client.cli:main"
    assert "panjere_client" in project["tool"]["setuptools"]["packages"]


def test_a_member_makes_shows_and_relocks_a_key(work):
    # when a member creates a key file
    status, out, err = panjere(
        "key", "create", "--out", work / "member.key", "--passphrase-file", work / "pass.txt"
    )

    # then it is there, readable by its owner only, and unlocks with the passphrase
    assert (status, err) == (0, "")
    key_file = member_keys.read_key_file(work / "member.key")
    assert stat.S_IMODE((work / "member.key").stat().st_mode) == 0o600
    assert f"fingerprint: {key_file.fingerprint}" in out
    private_key = member_keys.unlock(key_file, PASSPHRASE)

    # and `show` prints its public key and fingerprint
    status, out, _ = panjere("key", "show", work / "member.key")
    assert status == 0
    assert f"public key:  {base64.b64encode(key_file.public_key).decode()}" in out
    assert "Argon2id m=19456 KiB t=2 p=1" in out

    # and a new passphrase keeps the key
    status, out, err = panjere(
        "key",
        "passphrase",
        work / "member.key",
        "--passphrase-file",
        work / "pass.txt",
        "--new-passphrase-file",
        work / "new.txt",
    )
    assert (status, err) == (0, "")
    relocked = member_keys.read_key_file(work / "member.key")
    assert private_bytes(member_keys.unlock(relocked, "a brand new passphrase")) == private_bytes(
        private_key
    )

    # and the old passphrase no longer opens it
    status, _, err = panjere(
        "key",
        "passphrase",
        work / "member.key",
        "--passphrase-file",
        work / "pass.txt",
        "--new-passphrase-file",
        work / "new.txt",
    )
    assert status == 1
    assert err.startswith("REFUSED: WrongPassphrase")


def test_the_passphrase_is_asked_twice(work):
    status, _, err = panjere(
        "key", "create", "--out", work / "a.key", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert status == 0, err
    member_keys.unlock(member_keys.read_key_file(work / "a.key"), PASSPHRASE)

    status, _, err = panjere(
        "key", "create", "--out", work / "b.key", stdin=f"{PASSPHRASE}\nanother one entirely\n"
    )
    assert status == 2
    assert "the two passphrases differ" in err
    assert not (work / "b.key").exists()


def test_an_existing_key_file_is_never_replaced(work):
    (work / "member.key").write_text("precious")

    status, _, _ = panjere(
        "key", "create", "--out", work / "member.key", "--passphrase-file", work / "pass.txt"
    )

    assert status == 2
    assert (work / "member.key").read_text() == "precious"


def test_a_member_opens_their_share(work, tender_key):
    key_file, _ = member_keys.create(PASSPHRASE)
    member_keys.write_key_file(work / "member.key", key_file)
    context = {
        "tender": "ocds-pnjr01-000042",
        "kind": "technical",
        "member": "m-3",
        "tender_key": fingerprint(tender_key.public_key()),
    }
    sealed = shares.seal_share(b"\x07" * 33, member_public_key=key_file.public_key, context=context)
    (work / "share.json").write_text(
        json.dumps({**context, "sealed_share": base64.b64encode(sealed).decode()})
    )

    status, out, err = panjere(
        "share",
        "open",
        work / "share.json",
        "--key",
        work / "member.key",
        "--passphrase-file",
        work / "pass.txt",
    )

    assert (status, err) == (0, "")
    assert out.strip() == base64.b64encode(b"\x07" * 33).decode()


@pytest.fixture
def supplier(work, tender_key):
    """A supplier's folder: the tender key as the notice publishes it, a context, two files."""
    (work / "tender-key.json").write_text(
        json.dumps(
            {
                "tender": "ocds-pnjr01-000042",
                "kind": "financial",
                "public_key": base64.b64encode(public_bytes(tender_key.public_key())).decode(),
                "fingerprint": fingerprint(tender_key.public_key()),
            }
        )
    )
    (work / "ctx.json").write_text(
        json.dumps(
            {
                "tender": "ocds-pnjr01-000042",
                "lot": "1",
                "supplier": "17",
                "bid_version": 2,
            }
        )
    )
    (work / "offer.pdf").write_bytes(b"%PDF-1.7 " + bytes(100_000))
    schedule = bundle.build_price_schedule(
        "IRR", [{"item": "101", "quantity": "3", "unit_price": "125.50"}]
    )
    (work / "price-schedule.json").write_text(json.dumps(schedule, indent=2))
    return work


def _seal(folder, *extra):
    return panjere(
        "seal",
        "--tender-key",
        folder / "tender-key.json",
        "--kind",
        "financial",
        "--context",
        folder / "ctx.json",
        "--out",
        folder / "env.bin",
        *extra,
        folder / "offer.pdf",
        folder / "price-schedule.json",
    )


def test_a_supplier_seals_and_the_tender_key_opens(supplier, tender_key):
    # when the supplier seals two files, one marked confidential
    status, out, err = _seal(supplier, "--confidential", "offer.pdf")

    # then the envelope opens with the tender key, for that context, to those files
    assert (status, err) == (0, ""), err
    data = (supplier / "env.bin").read_bytes()
    stream = envelope.OpenStream(
        io.BytesIO(data),
        private_key=tender_key,
        expected_context={
            "tender": "ocds-pnjr01-000042",
            "lot": "1",
            "kind": "financial",
            "supplier": "17",
            "bid_version": 2,
        },
    )
    reader = bundle.BundleReader(stream, kind="financial")
    files = {file.entry.name: file.read() for file in reader.files()}
    assert files["offer.pdf"] == (supplier / "offer.pdf").read_bytes()
    assert reader.manifest.get("offer.pdf").confidential is True
    assert reader.manifest.get("offer.pdf").media_type == "application/pdf"
    assert reader.price_schedule["total"] == "376.50"
    assert f"sha256:     {envelope.inspect(io.BytesIO(data)).sha256}" in out
    assert "offer.pdf  application/pdf  100009 bytes (confidential)" in out

    # and `inspect` reads its header without a key
    status, out, _ = panjere("inspect", supplier / "env.bin")
    assert status == 0
    assert out.startswith("OK: financial envelope")

    # and the tests-only `open` extracts the files with the tender private key
    (supplier / "tender.key").write_text(base64.b64encode(private_bytes(tender_key)).decode())
    status, out, err = panjere(
        "open",
        "--private-key",
        supplier / "tender.key",
        supplier / "env.bin",
        "--out",
        supplier / "opened",
    )
    assert (status, err) == (0, "")
    assert (supplier / "opened" / "offer.pdf").read_bytes() == files["offer.pdf"]
    assert sorted(p.name for p in (supplier / "opened").iterdir()) == [
        "offer.pdf",
        "price-schedule.json",
    ]


def test_what_the_cli_refuses_to_seal(supplier):
    unknown = _seal(supplier, "--confidential", "nothing.pdf")
    (supplier / "price-schedule.json").write_text('{"format": 1}')
    wrong_schedule = _seal(supplier)
    missing = panjere(
        "seal",
        "--tender-key",
        supplier / "tender-key.json",
        "--kind",
        "technical",
        "--context",
        supplier / "ctx.json",
        "--out",
        supplier / "t.bin",
        supplier / "offer.pdf",
    )

    assert unknown[0] == 2
    assert "--confidential names no file given: nothing.pdf" in unknown[2]
    assert wrong_schedule[0] == 1
    assert wrong_schedule[2].startswith("REFUSED: MalformedPriceSchedule")
    assert missing[0] == 2  # the tender key is the financial one
    assert "this tender key is for another kind" in missing[2]
    assert not (supplier / "env.bin").exists()
    assert [p.name for p in supplier.iterdir() if p.name.startswith(".")] == []


def test_a_tampered_envelope_is_not_opened(supplier, tender_key):
    _seal(supplier)
    (supplier / "env.bin").write_bytes(flip((supplier / "env.bin").read_bytes(), 5000))
    (supplier / "tender.key").write_text(base64.b64encode(private_bytes(tender_key)).decode())

    status, _, err = panjere(
        "open",
        "--private-key",
        supplier / "tender.key",
        supplier / "env.bin",
        "--out",
        supplier / "opened",
    )

    assert status == 1
    assert err.startswith("REFUSED: ChunkTagMismatch")
    assert not (supplier / "opened").exists()
    assert [p.name for p in supplier.iterdir() if p.name.startswith(".")] == []


def _key_set(*keys):
    entries = []
    for key in keys:
        raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        entries.append(
            {
                "key_id": receipts.key_id(raw),
                "algorithm": "Ed25519",
                "public_key": base64.b64encode(raw).decode(),
                "status": "current",
            }
        )
    return {"log": "panjere-audit", "keys": entries}


def test_a_supplier_verifies_the_receipt_of_their_envelope(supplier):
    # given a sealed envelope and the platform's signed receipt of it
    _seal(supplier)
    summary = envelope.inspect((supplier / "env.bin").open("rb"))
    platform = Ed25519PrivateKey.generate()
    receipt = receipts.sign_receipt(
        {
            "tender": "ocds-pnjr01-000042",
            "lot": "1",
            "bid": "b-9",
            "bid_version": 2,
            "supplier": "17",
            "envelopes": [{"kind": "financial", "sha256": summary.sha256, "size": summary.size}],
            "received_at": "2026-05-10T06:29:59.123456Z",
            "audit_seq": 1201,
            "checkpoint": {"size": 1200, "root_hash": "ef" * 32},
        },
        platform,
    )
    (supplier / "receipt.json").write_text(json.dumps(receipt))
    (supplier / "keys.json").write_text(json.dumps(_key_set(platform)))

    # when the supplier verifies it, with the envelope
    status, out, err = panjere(
        "receipt",
        "verify",
        supplier / "receipt.json",
        "--keys",
        supplier / "keys.json",
        "--envelope",
        supplier / "env.bin",
    )

    # then it checks out
    assert (status, err) == (0, "")
    assert out.startswith("OK: receipt of bid b-9 version 2 of supplier 17 for ocds-pnjr01-000042")
    assert "1 envelopes match it" in out

    # but not once altered, nor with another key set, nor for another envelope
    (supplier / "altered.json").write_text(json.dumps({**receipt, "audit_seq": 1202}))
    (supplier / "other-keys.json").write_text(json.dumps(_key_set(Ed25519PrivateKey.generate())))
    altered = panjere(
        "receipt", "verify", supplier / "altered.json", "--keys", supplier / "keys.json"
    )
    unknown = panjere(
        "receipt", "verify", supplier / "receipt.json", "--keys", supplier / "other-keys.json"
    )
    _seal(supplier)  # a new envelope: new random keys, another hash
    other = panjere(
        "receipt",
        "verify",
        supplier / "receipt.json",
        "--keys",
        supplier / "keys.json",
        "--envelope",
        supplier / "env.bin",
    )
    assert (altered[0], altered[2].split(":")[1].strip()) == (1, "BadSignature")
    assert (unknown[0], unknown[2].split(":")[1].strip()) == (1, "UnknownKey")
    assert (other[0], other[2].split(":")[1].strip()) == (1, "ReceiptMismatch")


def test_unusable_inputs(work):
    missing = panjere("key", "show", work / "nothing.key")
    (work / "bad.key").write_text("{}")
    malformed = panjere("key", "show", work / "bad.key")

    assert missing[0] == 2
    assert "panjere: unusable input:" in missing[2]
    assert malformed[0] == 2
    assert "not a member key file" in malformed[2]
