"""The browser bundle and the Python client speak one format: each opens what the other seals.

Every test runs the committed static/js/sealing.js under Node.js (CI has
node; elsewhere these are skipped with a reason), with WebCrypto's X25519
("native") and with the pure-JavaScript fallback ("js") that browsers
without it get.
"""

import base64
import hashlib
import io
import json
import os

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from panjere_client import bundle, envelope, member_keys, shares
from panjere_client.bundle import BundleFile, BundleReader
from panjere_client.jcs import canonicalize
from panjere_client.keys import fingerprint, private_bytes, public_bytes
from panjere_client.member_keys import MemberKeyFile, WrongPassphrase

from .envelopes import flip, split

pytestmark = pytest.mark.node

CHUNK = envelope.DEFAULT_CHUNK_SIZE
BOTH = pytest.mark.parametrize("x25519", ["native", "js"])
PASSPHRASE = "correct horse battery staple"
ITEMS = [
    {
        "item": "101",
        "description": "Desk",
        "quantity": "12",
        "unit": "pcs",
        "unit_price": "2500000",
    },
    {"item": "102", "description": "کابل", "quantity": "1.5", "unit": "km", "unit_price": "12.50"},
    {"item": "103", "description": "Nothing", "quantity": "0.001", "unit": "t", "unit_price": "0"},
]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


# --- envelopes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "size",
    [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * 1024 * 1024],
    ids=["0", "1", "chunk-1", "chunk", "chunk+1", "3chunks", "5MiB"],
)
def test_python_seals_and_javascript_opens(js, tmp_path, tender_key, context, size):
    plaintext = os.urandom(size)
    path = tmp_path / "envelope.bin"
    with path.open("wb") as file:
        sealed = envelope.seal(
            io.BytesIO(plaintext), file, public_key=tender_key.public_key(), context=context
        )

    answer = js(
        "open-raw",
        path=str(path),
        privateKey=_b64(private_bytes(tender_key)),
        out=str(tmp_path / "plain"),
    )

    assert (tmp_path / "plain").read_bytes() == plaintext
    assert (answer["sha256"], answer["size"]) == (sealed.sha256, sealed.size)
    assert answer["header"]["context"] == context.to_json()


def _file_of_bundle_size(tmp_path, target: int) -> tuple:
    """A file whose bundle (technical, one file named data.bin) is exactly `target` bytes."""
    for size in range(max(0, target - 400), target):
        entry = bundle.FileEntry("data.bin", "application/octet-stream", size, "0" * 64, False)
        manifest = canonicalize({"format": 1, "files": [entry.to_json()]})
        if 13 + len(manifest) + size == target:
            path = tmp_path / "data.bin"
            path.write_bytes(os.urandom(size))
            return path, size
    raise AssertionError(f"no file makes a bundle of {target} bytes")


@BOTH
@pytest.mark.parametrize(
    "target",
    [CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * 1024 * 1024],
    ids=["chunk-1", "chunk", "chunk+1", "3chunks", "5MiB"],
)
def test_javascript_seals_and_python_opens(js, tmp_path, tender_key, context, target, x25519):
    # given a file making a bundle of exactly `target` bytes, sealed by the browser bundle
    path, size = _file_of_bundle_size(tmp_path, target)
    technical = envelope.Context(**{**context.to_json(), "kind": "technical"})
    answer = js(
        "seal",
        x25519=x25519,
        files=[{"path": str(path), "name": "data.bin", "mediaType": "application/octet-stream"}],
        tenderPublicKey=_b64(public_bytes(tender_key.public_key())),
        context=technical.to_json(),
        out=str(tmp_path / "envelope.bin"),
    )
    data = (tmp_path / "envelope.bin").read_bytes()

    # when Python opens it and reads the bundle
    stream = envelope.OpenStream(
        io.BytesIO(data), private_key=tender_key, expected_context=technical
    )
    reader = BundleReader(stream, kind="technical")
    contents = [file.read() for file in reader.files()]

    # then the file is back, the chunks fall where Python's would, and the hashes agree
    assert contents == [path.read_bytes()]
    assert stream._opener.records.plaintext_size == target
    assert stream._opener.records.count == max(1, -(-target // CHUNK))
    assert (answer["sha256"], answer["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    assert answer["phases"] == ["hashing", "sealing"]
    assert reader.manifest.files[0].size == size


@BOTH
def test_a_financial_envelope_sealed_in_the_browser(js, tmp_path, tender_key, context, x25519):
    offer = tmp_path / "offer.pdf"
    offer.write_bytes(b"%PDF-1.7 " + os.urandom(1000))
    schedule = js("price-schedule", currency="IRR", items=ITEMS)["schedule"]

    js(
        "seal",
        x25519=x25519,
        files=[
            {
                "path": str(offer),
                "name": "offer.pdf",
                "mediaType": "application/pdf",
                "confidential": True,
            }
        ],
        schedule=schedule,
        tenderPublicKey=_b64(public_bytes(tender_key.public_key())),
        context=context.to_json(),
        chunkSize=4096,
        out=str(tmp_path / "envelope.bin"),
    )

    stream = envelope.OpenStream((tmp_path / "envelope.bin").open("rb"), private_key=tender_key)
    reader = BundleReader(stream, kind="financial")
    files = {file.entry.name: file.read() for file in reader.files()}
    assert files["offer.pdf"] == offer.read_bytes()
    assert [
        (entry.name, entry.media_type, entry.confidential) for entry in reader.manifest.files
    ] == [
        ("offer.pdf", "application/pdf", True),
        ("price-schedule.json", "application/json", False),
    ]
    assert reader.price_schedule == bundle.build_price_schedule("IRR", ITEMS)
    assert stream.header.chunk_size == 4096


def test_a_bundle_sealed_in_python_opens_in_the_browser(js, tmp_path, tender_key, context):
    files = [
        BundleFile.from_bytes(
            "پیشنهاد.txt", "سلام".encode(), media_type="text/plain", confidential=True
        ),
        BundleFile.from_bytes("big.bin", os.urandom(200_000), media_type="application/x-big"),
        bundle.price_schedule_file(bundle.build_price_schedule("IRR", ITEMS)),
    ]
    path = tmp_path / "envelope.bin"
    with path.open("wb") as file:
        sealed, manifest = bundle.seal_files(
            file, files, public_key=tender_key.public_key(), context=context
        )
    out = tmp_path / "files"
    out.mkdir()

    answer = js(
        "open",
        path=str(path),
        privateKey=_b64(private_bytes(tender_key)),
        expectedContext=context.to_json(),
        outDir=str(out),
    )

    assert answer["manifest"] == json.loads(manifest.raw)
    assert answer["sha256"] == sealed.sha256
    for index, file in enumerate(files):
        with file.open() as source:
            assert (out / str(index)).read_bytes() == source.read()


@pytest.fixture
def sealed_in_python(tmp_path, tender_key, context):
    data = io.BytesIO()
    envelope.seal(
        io.BytesIO(os.urandom(5000)),
        data,
        public_key=tender_key.public_key(),
        context=context,
        chunk_size=1024,
    )
    return data.getvalue()


def _tampered(data: bytes, how: str) -> bytes:
    prefix, records = split(data)
    if how == "truncated":
        return prefix + b"".join(records[:3])
    if how == "swapped":
        records[0], records[2] = records[2], records[0]
        return prefix + b"".join(records)
    if how == "flipped":
        return flip(data, len(prefix) + 100)
    if how == "trailing":
        return data + b"!"
    if how == "sealed-key":
        return flip(data, len(prefix) - 1)
    raise ValueError(how)


@pytest.mark.parametrize(
    ("how", "refusal"),
    [
        ("truncated", "EnvelopeTruncated"),
        ("swapped", "ChunkOutOfOrder"),
        ("flipped", "ChunkTagMismatch"),
        ("trailing", "TrailingData"),
        ("sealed-key", "SealedKeyMismatch"),
    ],
)
def test_the_browser_refuses_what_python_refuses(
    js, tmp_path, tender_key, sealed_in_python, how, refusal
):
    path = tmp_path / "envelope.bin"
    path.write_bytes(_tampered(sealed_in_python, how))

    answer = js(
        "open-raw",
        path=str(path),
        privateKey=_b64(private_bytes(tender_key)),
        out=str(tmp_path / "plain"),
    )

    assert answer["error"] == refusal
    with pytest.raises(getattr(envelope, refusal)):
        envelope.open(io.BytesIO(path.read_bytes()), io.BytesIO(), private_key=tender_key)


def test_the_browser_refuses_another_key(js, tmp_path, sealed_in_python):
    path = tmp_path / "envelope.bin"
    path.write_bytes(sealed_in_python)

    wrong_key = js(
        "open-raw",
        path=str(path),
        privateKey=_b64(private_bytes(X25519PrivateKey.generate())),
        out=str(tmp_path / "plain"),
    )

    assert wrong_key["error"] == "WrongTenderKey"


def test_the_browser_refuses_another_context(js, tmp_path, tender_key, context, sealed_in_python):
    path = tmp_path / "envelope.bin"
    path.write_bytes(sealed_in_python)

    answer = js(
        "open",
        path=str(path),
        privateKey=_b64(private_bytes(tender_key)),
        expectedContext={**context.to_json(), "bid_version": 3},
        outDir=str(tmp_path),
    )

    assert answer["error"] == "ContextMismatch"


# --- member keys ---------------------------------------------------------------------


def test_a_key_made_in_the_browser_unlocks_in_python(js):
    made = js("create-key", passphrase=PASSPHRASE)

    key_file = MemberKeyFile.loads(made["keyFileText"])
    private_key = member_keys.unlock(key_file, PASSPHRASE)

    assert key_file.dumps() == made["keyFileText"]  # the same bytes either side writes
    assert _b64(public_bytes(private_key.public_key())) == made["publicKey"]
    assert key_file.fingerprint == made["fingerprint"]
    with pytest.raises(WrongPassphrase):
        member_keys.unlock(key_file, "not the passphrase at all")


def test_a_key_made_in_python_unlocks_in_the_browser(js):
    key_file, private_key = member_keys.create(PASSPHRASE)

    opened = js("unlock-key", keyFileText=key_file.dumps(), passphrase=PASSPHRASE)
    refused = js("unlock-key", keyFileText=key_file.dumps(), passphrase=PASSPHRASE + "!")

    assert opened["privateKey"] == _b64(private_bytes(private_key))
    assert opened["fingerprint"] == key_file.fingerprint
    assert refused["error"] == "WrongPassphrase"


def test_a_passphrase_changed_in_either_opens_in_the_other(js):
    key_file, private_key = member_keys.create(PASSPHRASE)

    in_browser = js(
        "change-passphrase",
        keyFileText=key_file.dumps(),
        old=PASSPHRASE,
        new="the browser's new passphrase",
    )["keyFileText"]
    in_python = member_keys.change_passphrase(
        MemberKeyFile.loads(in_browser), "the browser's new passphrase", "python's new passphrase"
    )

    assert private_bytes(
        member_keys.unlock(MemberKeyFile.loads(in_browser), "the browser's new passphrase")
    ) == private_bytes(private_key)
    with pytest.raises(WrongPassphrase):
        member_keys.unlock(MemberKeyFile.loads(in_browser), PASSPHRASE)
    opened = js("unlock-key", keyFileText=in_python.dumps(), passphrase="python's new passphrase")
    assert opened["privateKey"] == _b64(private_bytes(private_key))
    assert js("unlock-key", keyFileText=in_python.dumps(), passphrase=PASSPHRASE)["error"] == (
        "WrongPassphrase"
    )
    assert (
        js("change-passphrase", keyFileText=key_file.dumps(), old=PASSPHRASE, new="too short")[
            "error"
        ]
        == "WeakPassphrase"
    )


# --- shares --------------------------------------------------------------------------


@BOTH
def test_a_share_sealed_by_the_server_opens_in_the_browser_and_in_python(js, tender_key, x25519):
    # given a member's key made in the browser, and a share the server seals to it
    made = js("create-key", passphrase=PASSPHRASE)
    context = shares.ShareContext(
        tender="ocds-pnjr01-000042",
        kind="technical",
        member="m-3",
        tender_key=fingerprint(tender_key.public_key()),
    )
    share = os.urandom(33)
    sealed = shares.seal_share(share, member_public_key=made["publicKey"], context=context)

    # when the member unlocks the key and opens the share, in the browser and in Python
    private_key = js("unlock-key", keyFileText=made["keyFileText"], passphrase=PASSPHRASE)[
        "privateKey"
    ]
    opened = js(
        "open-share",
        x25519=x25519,
        sealed=_b64(sealed),
        privateKey=private_key,
        context=context.__dict__,
    )
    wrong = js(
        "open-share",
        x25519=x25519,
        sealed=_b64(sealed),
        privateKey=private_key,
        context={**context.__dict__, "member": "m-4"},
    )

    # then both get the share, and another member id does not open it
    assert opened["share"] == _b64(share)
    assert shares.open_share(sealed, private_key=private_key, context=context) == share
    assert wrong["error"] == "ShareMismatch"


# --- the shared pieces ---------------------------------------------------------------

TRICKY = [
    {"\ue000": 1, "\U0001f600": 2, "a": [True, None, -9007199254740991]},
    '"\\\b\f\n\r\t\x00\x1f\x7f\u2028é',
    {"b": {"z": [], "y": {}}, "a": "x" * 300, "ä": 0},
    [9007199254740991, 0, -1, "", "پنجره"],
]


def test_both_write_the_same_canonical_json(js):
    for value in TRICKY:
        assert js("jcs", value=value)["text"].encode() == canonicalize(value)


def test_both_build_the_same_price_schedule(js):
    answer = js("price-schedule", currency="IRR", items=ITEMS)

    python = bundle.build_price_schedule("IRR", ITEMS)
    assert answer["schedule"] == python
    assert base64.b64decode(answer["file"]) == canonicalize(python)
    assert python["items"][2]["total"] == "0.000"
    assert python["total"] == "30000018.750"
