"""The sealed envelope: round trips, and every refusal by its name (docs/sealing.md)."""

import hashlib
import io
import json
import os
import struct
import tracemalloc

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from panjere_client import envelope
from panjere_client.envelope import (
    BadMagic,
    ChunkOutOfOrder,
    ChunkTagMismatch,
    ContextMismatch,
    EnvelopeError,
    EnvelopeTooLarge,
    EnvelopeTruncated,
    MalformedChunk,
    MalformedHeader,
    SealedKeyMismatch,
    TrailingData,
    UnsupportedSuite,
    UnsupportedVersion,
    WrongTenderKey,
)
from panjere_client.jcs import canonicalize
from panjere_client.keys import fingerprint

from .envelopes import flip, split

CHUNK = envelope.DEFAULT_CHUNK_SIZE
SMALL = 1024  # the smallest chunk size: many chunks from little data


def _seal(data: bytes, key, context, chunk_size: int = CHUNK) -> bytes:
    out = io.BytesIO()
    envelope.seal(
        io.BytesIO(data), out, public_key=key.public_key(), context=context, chunk_size=chunk_size
    )
    return out.getvalue()


def _open(data: bytes, key, **kwargs) -> bytes:
    out = io.BytesIO()
    envelope.open(io.BytesIO(data), out, private_key=key, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize(
    "size",
    [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 5 * 1024 * 1024],
    ids=["0", "1", "chunk-1", "chunk", "chunk+1", "3chunks", "5MiB"],
)
def test_what_is_sealed_opens_to_the_same_bytes(size, tender_key, context):
    # given some plaintext sealed to the tender key
    plaintext = os.urandom(size)
    out = io.BytesIO()
    sealed = envelope.seal(
        io.BytesIO(plaintext), out, public_key=tender_key.public_key(), context=context
    )
    data = out.getvalue()

    # when it is opened with the private key, and inspected without it
    opened_to = io.BytesIO()
    opened = envelope.open(
        io.BytesIO(data), opened_to, private_key=tender_key, expected_context=context
    )
    summary = envelope.inspect(
        io.BytesIO(data), expected_context=context, tender_key=tender_key.public_key()
    )

    # then the plaintext comes back, and all agree on the envelope's size and hash
    assert opened_to.getvalue() == plaintext
    chunks = max(1, -(-size // CHUNK))
    assert sealed.size == opened.size == summary.size == len(data)
    assert sealed.sha256 == opened.sha256 == summary.sha256 == hashlib.sha256(data).hexdigest()
    assert opened.chunks == summary.chunks == chunks
    assert opened.plaintext_size == summary.plaintext_size == sealed.plaintext_size == size
    assert len(data) == len(summary.header.prefix) + chunks * (5 + 16) + size
    assert opened.header.context == context


def test_the_layout_is_the_documented_one(tender_key, context):
    data = _seal(b"x" * (SMALL + 5), tender_key, context, chunk_size=SMALL)

    magic, version, length = struct.unpack(">8sBH", data[:11])
    header = json.loads(data[11 : 11 + length])
    sealed_key = data[11 + length : 11 + length + 80]
    first = data[11 + length + 80 :]

    assert (magic, version) == (b"\x89PJE\r\n\x1a\n", 1)
    assert canonicalize(header) == data[11 : 11 + length]
    assert header == {
        "format": 1,
        "suite": "hpke-x25519-hkdfsha256-aes256gcm",
        "context": {
            "tender": "ocds-pnjr01-000042",
            "lot": "1",
            "kind": "financial",
            "supplier": "17",
            "bid_version": 2,
        },
        "chunk_size": SMALL,
        "tender_key": fingerprint(tender_key.public_key()),
        "nonce_prefix": header["nonce_prefix"],
    }
    assert len(bytes.fromhex(header["nonce_prefix"])) == 7
    assert len(sealed_key) == 80
    # a full chunk, not final, then the final one holding the last 5 bytes
    assert first[:5] == bytes([0]) + (SMALL + 16).to_bytes(4, "big")
    assert first[5 + SMALL + 16 : 10 + SMALL + 16] == bytes([1]) + (5 + 16).to_bytes(4, "big")
    assert len(first) == 10 + SMALL + 16 + 5 + 16


def test_the_same_plaintext_never_seals_to_the_same_bytes(tender_key, context):
    assert _seal(b"bid", tender_key, context) != _seal(b"bid", tender_key, context)


# --- refusals ------------------------------------------------------------------------


@pytest.fixture
def sealed(tender_key, context) -> bytes:
    """Five chunks of 1 KiB, the last one short."""
    return _seal(bytes(range(256)) * 17, tender_key, context, chunk_size=SMALL)


def test_not_an_envelope(tender_key):
    with pytest.raises(BadMagic):
        _open(b"%PDF-1.7\n" + bytes(200), tender_key)
    with pytest.raises(BadMagic):
        envelope.parse_header(io.BytesIO(b"PK\x03\x04"))


def test_an_unknown_format_version(sealed, tender_key):
    with pytest.raises(UnsupportedVersion, match="version 2"):
        _open(sealed[:8] + b"\x02" + sealed[9:], tender_key)


def _rewrite_header(data: bytes, change) -> bytes:
    """The envelope with its header JSON changed and written canonically again."""
    prefix, records = split(data)
    length = int.from_bytes(prefix[9:11], "big")
    header = json.loads(prefix[11 : 11 + length])
    change(header)
    raw = canonicalize(header)
    sealed_key = prefix[11 + length :]
    return prefix[:9] + len(raw).to_bytes(2, "big") + raw + sealed_key + b"".join(records)


def test_an_unknown_header_format_or_suite(sealed, tender_key):
    newer = _rewrite_header(sealed, lambda header: header.update(format=2))
    other_suite = _rewrite_header(sealed, lambda header: header.update(suite="hpke-p256"))

    with pytest.raises(UnsupportedVersion):
        _open(newer, tender_key)
    with pytest.raises(UnsupportedSuite):
        _open(other_suite, tender_key)


@pytest.mark.parametrize(
    "change",
    [
        lambda header: header.update(extra=1),
        lambda header: header.pop("nonce_prefix"),
        lambda header: header.update(nonce_prefix="00"),
        lambda header: header.update(chunk_size=10),
        lambda header: header["context"].update(kind="both"),
        lambda header: header["context"].update(bid_version=0),
        lambda header: header["context"].pop("lot"),
        lambda header: header.update(tender_key="AB" * 32),
    ],
    ids=["extra", "missing", "short-nonce", "tiny-chunks", "kind", "version-0", "no-lot", "HEX"],
)
def test_a_header_not_in_the_format(sealed, tender_key, change):
    with pytest.raises(MalformedHeader):
        envelope.parse_header(io.BytesIO(_rewrite_header(sealed, change)))


def test_a_header_not_in_canonical_form(sealed):
    prefix, records = split(sealed)
    length = int.from_bytes(prefix[9:11], "big")
    spaced = json.dumps(json.loads(prefix[11 : 11 + length]), indent=1).encode()
    rewritten = prefix[:9] + len(spaced).to_bytes(2, "big") + spaced + prefix[11 + length :]

    with pytest.raises(MalformedHeader, match="canonical"):
        envelope.parse_header(io.BytesIO(rewritten + b"".join(records)))


def test_another_context_than_expected(sealed, tender_key, context):
    other = envelope.Context(**{**context.to_json(), "supplier": "18"})

    with pytest.raises(ContextMismatch, match="supplier '17' \\(expected '18'\\)"):
        _open(sealed, tender_key, expected_context=other)
    with pytest.raises(ContextMismatch):
        envelope.parse_header(io.BytesIO(sealed), expected_context=other.to_json())


def test_a_context_changed_in_the_header_no_longer_opens(sealed, tender_key):
    # the supplier field rewritten, the header still canonical: HPKE's info differs
    moved = _rewrite_header(sealed, lambda header: header["context"].update(supplier="18"))

    with pytest.raises(SealedKeyMismatch):
        _open(moved, tender_key)


def test_sealed_to_another_tender_key(sealed, tender_key):
    other = X25519PrivateKey.generate()

    with pytest.raises(WrongTenderKey):
        _open(sealed, other)
    with pytest.raises(WrongTenderKey):
        envelope.parse_header(io.BytesIO(sealed), tender_key=other.public_key())
    with pytest.raises(WrongTenderKey):
        envelope.inspect(io.BytesIO(sealed), tender_key_fingerprint=fingerprint(other.public_key()))


def test_a_header_naming_another_key_fingerprint(sealed, tender_key):
    renamed = _rewrite_header(sealed, lambda header: header.update(tender_key="ab" * 32))

    with pytest.raises(WrongTenderKey):
        _open(renamed, tender_key)


def test_truncated_at_every_chunk_boundary(sealed, tender_key):
    prefix, records = split(sealed)
    assert len(records) == 5

    for kept in range(len(records)):  # 0 … 4 records: every cut before the final one
        cut = prefix + b"".join(records[:kept])
        with pytest.raises(EnvelopeTruncated, match=f"after {kept} chunks"):
            _open(cut, tender_key)
        with pytest.raises(EnvelopeTruncated):
            envelope.inspect(io.BytesIO(cut))


@pytest.mark.parametrize(
    "where",
    ["magic", "preamble", "header", "sealed key", "record head", "middle chunk", "last chunk"],
)
def test_truncated_anywhere_else(sealed, tender_key, where):
    prefix, _ = split(sealed)
    position = {
        "magic": 5,
        "preamble": 10,
        "header": 60,
        "sealed key": len(prefix) - 40,
        "record head": len(prefix) + 3,
        "middle chunk": len(prefix) + 2000,
        "last chunk": len(sealed) - 1,
    }[where]

    with pytest.raises(EnvelopeTruncated):
        _open(sealed[:position], tender_key)


def test_a_final_marker_moved_forward_is_a_truncation(sealed, tender_key):
    prefix, records = split(sealed)
    cut = records[2][:1]
    forged = bytes([1]) + records[2][1:]
    assert cut == b"\x00"

    with pytest.raises(EnvelopeTruncated, match="marked final"):
        _open(prefix + b"".join(records[:2]) + forged, tender_key)


def test_two_chunks_swapped(sealed, tender_key):
    prefix, records = split(sealed)
    records[1], records[3] = records[3], records[1]

    with pytest.raises(ChunkOutOfOrder, match="chunk 3 stands at position 1"):
        _open(prefix + b"".join(records), tender_key)


def test_a_chunk_repeated(sealed, tender_key):
    prefix, records = split(sealed)
    repeated = [*records[:2], records[1], *records[2:]]

    with pytest.raises(ChunkOutOfOrder, match="chunk 1 stands at position 2"):
        _open(prefix + b"".join(repeated), tender_key)


def test_the_final_chunk_repeated_or_bytes_after_it(sealed, tender_key):
    _, records = split(sealed)

    for extra in (records[-1], b"\x00", b"more"):
        with pytest.raises(TrailingData):
            _open(sealed + extra, tender_key)
        with pytest.raises(TrailingData):
            envelope.inspect(io.BytesIO(sealed + extra))


def test_a_bit_flipped_in_a_chunk(sealed, tender_key):
    prefix, _ = split(sealed)

    for position in (len(prefix) + 5, len(prefix) + 700, len(sealed) - 1):
        with pytest.raises(ChunkTagMismatch):
            _open(flip(sealed, position), tender_key)


def test_a_bit_flipped_in_the_sealed_key(sealed, tender_key):
    prefix, _ = split(sealed)

    for position in range(len(prefix) - 80, len(prefix), 7):
        with pytest.raises(SealedKeyMismatch):
            _open(flip(sealed, position, bit=3), tender_key)


def test_a_bit_flipped_anywhere_in_the_header_is_refused(sealed, tender_key, context):
    prefix, _ = split(sealed)
    refusals = set()

    for position in range(len(prefix) - 80):
        with pytest.raises(EnvelopeError) as refused:
            _open(flip(sealed, position), tender_key, expected_context=context)
        refusals.add(type(refused.value))

    assert refusals <= {
        BadMagic,
        UnsupportedVersion,
        UnsupportedSuite,
        MalformedHeader,
        EnvelopeTruncated,
        ContextMismatch,
        WrongTenderKey,
        SealedKeyMismatch,
    }
    assert {
        BadMagic,
        UnsupportedVersion,
        MalformedHeader,
        ContextMismatch,
        SealedKeyMismatch,
    } <= refusals


def test_records_the_format_does_not_allow(sealed, tender_key):
    prefix, records = split(sealed)

    unknown_flag = bytes([2]) + records[0][1:]
    short_middle = records[0][:1] + (100).to_bytes(4, "big") + records[0][5:105]
    empty_final_after_data = bytes([1]) + (16).to_bytes(4, "big") + bytes(16)

    for forged in (
        [unknown_flag, *records[1:]],
        [short_middle, *records[1:]],
        [*records[:-1], empty_final_after_data],
    ):
        with pytest.raises(MalformedChunk):
            envelope.inspect(io.BytesIO(prefix + b"".join(forged)))


def test_larger_than_allowed(sealed, tender_key):
    with pytest.raises(EnvelopeTooLarge):
        _open(sealed, tender_key, max_size=len(sealed) - 1)
    with pytest.raises(EnvelopeTooLarge):
        envelope.inspect(io.BytesIO(sealed), max_size=3000)
    assert envelope.inspect(io.BytesIO(sealed), max_size=len(sealed)).size == len(sealed)


def test_a_seal_broken_off_has_no_final_chunk(tender_key, context):
    out = io.BytesIO()
    sealer = envelope.Sealer(
        out, public_key=tender_key.public_key(), context=context, chunk_size=SMALL
    )
    with pytest.raises(OSError), sealer:
        sealer.write(b"a" * 5000)
        raise OSError("the disk went away")

    with pytest.raises(EnvelopeTruncated):
        _open(out.getvalue(), tender_key)


def test_open_stream_reads_like_a_file(tender_key, context):
    plaintext = os.urandom(10_000)
    stream = envelope.OpenStream(
        io.BytesIO(_seal(plaintext, tender_key, context, chunk_size=SMALL)), private_key=tender_key
    )

    parts = [stream.read(333) for _ in range(31)]

    assert b"".join(parts) + stream.read() == plaintext
    assert stream.read(10) == b""
    assert stream.header.context == context


def test_contexts_are_checked_when_made(context):
    for change in (
        {"kind": "both"},
        {"bid_version": 0},
        {"supplier": ""},
        {"lot": "a\nb"},
        {"bid_version": True},
        {"tender": "x" * 201},
    ):
        with pytest.raises(ValueError):
            envelope.Context(**{**context.to_json(), **change})


# --- memory --------------------------------------------------------------------------

MIB = 1024 * 1024


class Source:
    """50 MiB of plaintext, made as it is read: nothing held."""

    def __init__(self, size: int):
        self.left = size
        self.block = bytes(range(256)) * 256

    def read(self, size: int = -1) -> bytes:
        size = min(self.left, len(self.block), len(self.block) if size < 0 else size)
        self.left -= size
        return self.block[:size]


class Sink:
    """Hashes what it is given and keeps nothing."""

    def __init__(self):
        self.hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        self.size += len(data)
        return len(data)


def test_fifty_mebibytes_seal_and_open_in_little_memory(tmp_path, tender_key, context):
    path = tmp_path / "big.env"

    tracemalloc.start()
    try:
        with path.open("wb") as file:
            envelope.seal(
                Source(50 * MIB), file, public_key=tender_key.public_key(), context=context
            )
        _, sealing_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        sink = Sink()
        with path.open("rb") as file:
            opened = envelope.open(file, sink, private_key=tender_key)
        _, opening_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    expected = hashlib.sha256()
    source = Source(50 * MIB)
    while block := source.read(MIB):
        expected.update(block)
    assert (sink.size, sink.hash.hexdigest()) == (50 * MIB, expected.hexdigest())
    assert opened.size == path.stat().st_size
    assert sealing_peak < 5 * MIB, sealing_peak
    assert opening_peak < 5 * MIB, opening_peak
