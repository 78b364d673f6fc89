"""Sealed envelopes: a content key sealed with HPKE, the content in AES-256-GCM chunks.

The byte layout is in docs/sealing.md ("The envelope"); in short:

    magic (8) | version (1) | header length (2, big-endian) | header (RFC 8785 JSON)
    | sealed content key (80: HPKE enc 32 || ciphertext 32 || tag 16)
    | records: flag (1: 0 more, 1 final) | length (4, big-endian) | ciphertext (length)

The header holds the context (tender, lot, kind, supplier, bid version), the
chunk size, the tender key's fingerprint and a random 7-byte nonce prefix.
HPKE (RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
AES-256-GCM) seals a random 32-byte content key to the tender key with
`info` = the exact header bytes, so every context field is bound. Chunk i is
AES-256-GCM under the content key with nonce = prefix || i (4 bytes,
big-endian) || final flag (1 byte), AAD = SHA-256(header bytes); every chunk
but the last holds exactly `chunk_size` plaintext bytes, the last holds 1 to
`chunk_size` (none only when the whole plaintext is empty) and is flagged
final. A chunk that is cut off, moved, repeated, or followed by anything no
longer authenticates where it stands, and each case is refused by name.

Nothing here holds more than a chunk or two: `seal` and `open` stream.
Opening releases each chunk once it authenticates, so on any error the
plaintext written so far must be thrown away (the CLI writes to a temporary
folder and removes it).
"""

import hashlib
import secrets
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .encoding import EncodingError, hexdecode, loads_canonical
from .errors import PanjereClientError
from .jcs import canonicalize
from .keys import PrivateKeyLike, PublicKeyLike, fingerprint, load_private_key, load_public_key
from .streams import Reader, Writer, read_exact

MAGIC = b"\x89PJE\r\n\x1a\n"
FORMAT_VERSION = 1
# HPKE mode 0 with KEM 0x0020 DHKEM(X25519, HKDF-SHA256), KDF 0x0001 HKDF-SHA256,
# AEAD 0x0002 AES-256-GCM; the chunks AES-256-GCM.
SUITE = "hpke-x25519-hkdfsha256-aes256gcm"
KINDS = ("technical", "financial", "single")
DEFAULT_CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 1024 * 1024
MAX_HEADER_SIZE = 4096
CONTENT_KEY_SIZE = 32
SEALED_KEY_SIZE = 32 + CONTENT_KEY_SIZE + 16
NONCE_PREFIX_SIZE = 7
TAG_SIZE = 16
MAX_CHUNKS = 2**32
MORE, FINAL = 0, 1
_PREAMBLE = struct.Struct(">8sBH")
_RECORD = struct.Struct(">BI")
_HEADER_FIELDS = {"format", "suite", "context", "chunk_size", "tender_key", "nonce_prefix"}
_CONTEXT_FIELDS = ("tender", "lot", "kind", "supplier", "bid_version")
_MAX_ID_LENGTH = 200
_MAX_BID_VERSION = 2**31 - 1
# A chunk that fails where it stands is tried at this many places either side,
# to tell a moved or repeated chunk from an altered one (only on failure).
_SEARCH_WINDOW = 256
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


class EnvelopeError(PanjereClientError):
    """An envelope refused; the subclass says why."""


class BadMagic(EnvelopeError):
    """The bytes do not start with the envelope magic: not a Panjere envelope."""


class UnsupportedVersion(EnvelopeError):
    """A format version this code does not know."""


class UnsupportedSuite(EnvelopeError):
    """A cipher suite this code does not know."""


class MalformedHeader(EnvelopeError):
    """The header is not canonical JSON of the header's fields and values."""


class ContextMismatch(EnvelopeError):
    """The header's context is not the one expected (another tender, supplier, kind…)."""


class WrongTenderKey(EnvelopeError):
    """Sealed to another tender key than the one expected or given."""


class SealedKeyMismatch(EnvelopeError):
    """The content key does not open: the header or the sealed key was altered."""


class MalformedChunk(EnvelopeError):
    """A chunk record whose flag or length the format does not allow."""


class EnvelopeTruncated(EnvelopeError):
    """The envelope ends before its final chunk."""


class ChunkOutOfOrder(EnvelopeError):
    """A chunk authenticates, but as another chunk: chunks were reordered or repeated."""


class ChunkTagMismatch(EnvelopeError):
    """A chunk does not authenticate: it was altered."""


class TrailingData(EnvelopeError):
    """Bytes follow the final chunk."""


class EnvelopeTooLarge(EnvelopeError):
    """The envelope is larger than allowed."""


@dataclass(frozen=True)
class Context:
    """What an envelope is for; bound into the sealed key and every chunk."""

    tender: str
    lot: str | None
    kind: str
    supplier: str
    bid_version: int

    def __post_init__(self):
        for name in ("tender", "supplier"):
            _check_id(getattr(self, name), name)
        if self.lot is not None:
            _check_id(self.lot, "lot")
        if self.kind not in KINDS:
            raise ValueError(f"the kind is one of {', '.join(KINDS)}, not {self.kind!r}")
        if type(self.bid_version) is not int or not 1 <= self.bid_version <= _MAX_BID_VERSION:
            raise ValueError(f"the bid version is an integer from 1, not {self.bid_version!r}")

    @classmethod
    def from_json(cls, value: object) -> "Context":
        """Read a context from its JSON object (exactly the five members)."""
        if not isinstance(value, Mapping) or set(value) != set(_CONTEXT_FIELDS):
            raise ValueError(f"a context is an object of exactly {', '.join(_CONTEXT_FIELDS)}")
        return cls(**{name: value[name] for name in _CONTEXT_FIELDS})

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in _CONTEXT_FIELDS}


def _check_id(value: object, name: str) -> None:
    if not isinstance(value, str) or not 1 <= len(value) <= _MAX_ID_LENGTH:
        raise ValueError(f"the {name} is a string of 1 to {_MAX_ID_LENGTH} characters")
    if any(ord(character) < 0x20 or ord(character) == 0x7F for character in value):
        raise ValueError(f"the {name} holds a control character")


def _context(value: "Context | Mapping") -> Context:
    return value if isinstance(value, Context) else Context.from_json(value)


@dataclass(frozen=True)
class Header:
    """An envelope's header, as read or written, with its exact bytes."""

    context: Context
    chunk_size: int
    tender_key: str
    nonce_prefix: bytes
    raw: bytes
    sealed_key: bytes = b""

    @property
    def digest(self) -> bytes:
        """SHA-256 of the header bytes: the AAD of every chunk."""
        return hashlib.sha256(self.raw).digest()

    @property
    def prefix(self) -> bytes:
        """The envelope's bytes before its first chunk record."""
        return _PREAMBLE.pack(MAGIC, FORMAT_VERSION, len(self.raw)) + self.raw + self.sealed_key


def build_header(
    context: "Context | Mapping",
    *,
    tender_key: str,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    nonce_prefix: bytes | None = None,
) -> Header:
    """Return the header of a new envelope (a fresh random nonce prefix unless one is given)."""
    context = _context(context)
    if type(chunk_size) is not int or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise ValueError(f"the chunk size is {MIN_CHUNK_SIZE} to {MAX_CHUNK_SIZE} bytes")
    if nonce_prefix is None:
        nonce_prefix = secrets.token_bytes(NONCE_PREFIX_SIZE)
    document = {
        "format": FORMAT_VERSION,
        "suite": SUITE,
        "context": context.to_json(),
        "chunk_size": chunk_size,
        "tender_key": tender_key,
        "nonce_prefix": nonce_prefix.hex(),
    }
    return _header_from(document, canonicalize(document))


def _header_from(document: object, raw: bytes) -> Header:
    if not isinstance(document, dict):
        raise MalformedHeader("the header is not a JSON object")
    if document.get("format") != FORMAT_VERSION:
        raise UnsupportedVersion(f"the header's format {document.get('format')!r} is unknown")
    if document.get("suite") != SUITE:
        raise UnsupportedSuite(f"the suite {document.get('suite')!r} is unknown")
    if set(document) != _HEADER_FIELDS:
        raise MalformedHeader(f"the header's members are not {', '.join(sorted(_HEADER_FIELDS))}")
    try:
        context = Context.from_json(document["context"])
        tender_key = document["tender_key"]
        hexdecode(tender_key, size=32)
        nonce_prefix = hexdecode(document["nonce_prefix"], size=NONCE_PREFIX_SIZE)
    except (ValueError, TypeError) as error:
        raise MalformedHeader(f"the header: {error}") from None
    chunk_size = document["chunk_size"]
    if type(chunk_size) is not int or not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise MalformedHeader(f"the chunk size {chunk_size!r} is out of range")
    return Header(context, chunk_size, tender_key, nonce_prefix, raw)


def parse_header(
    reader: Reader,
    *,
    expected_context: "Context | Mapping | None" = None,
    tender_key: "PublicKeyLike | None" = None,
    tender_key_fingerprint: str | None = None,
) -> Header:
    """Read an envelope up to its first chunk and check its header; no key is needed.

    Checks the magic, version, suite and the header's canonical form; if given,
    that the context is `expected_context` and that the envelope was sealed to
    `tender_key` (or the key whose fingerprint is `tender_key_fingerprint`).
    Leaves `reader` at the first chunk record.
    """
    preamble = read_exact(reader, _PREAMBLE.size)
    if preamble[: len(MAGIC)] != MAGIC[: len(preamble)]:
        raise BadMagic("not a Panjere envelope (the magic bytes differ)")
    if len(preamble) < _PREAMBLE.size:
        raise EnvelopeTruncated("the envelope ends inside its preamble")
    _, version, length = _PREAMBLE.unpack(preamble)
    if version != FORMAT_VERSION:
        raise UnsupportedVersion(f"the envelope format version {version} is unknown")
    if not 0 < length <= MAX_HEADER_SIZE:
        raise MalformedHeader(f"a header is 1 to {MAX_HEADER_SIZE} bytes, not {length}")
    raw = read_exact(reader, length)
    if len(raw) < length:
        raise EnvelopeTruncated("the envelope ends inside its header")
    try:
        document = loads_canonical(raw)
    except EncodingError as error:
        raise MalformedHeader(f"the header is {error}") from None
    header = _header_from(document, raw)
    sealed_key = read_exact(reader, SEALED_KEY_SIZE)
    if len(sealed_key) < SEALED_KEY_SIZE:
        raise EnvelopeTruncated("the envelope ends inside its sealed key")
    header = Header(
        header.context, header.chunk_size, header.tender_key, header.nonce_prefix, raw, sealed_key
    )
    check_header(
        header,
        expected_context=expected_context,
        tender_key=tender_key,
        tender_key_fingerprint=tender_key_fingerprint,
    )
    return header


def check_header(
    header: Header,
    *,
    expected_context: "Context | Mapping | None" = None,
    tender_key: "PublicKeyLike | None" = None,
    tender_key_fingerprint: str | None = None,
) -> None:
    """Refuse a header whose context or tender key is not the one expected."""
    if expected_context is not None:
        expected = _context(expected_context)
        if header.context != expected:
            differ = [
                f"{name} {getattr(header.context, name)!r} (expected {getattr(expected, name)!r})"
                for name in _CONTEXT_FIELDS
                if getattr(header.context, name) != getattr(expected, name)
            ]
            raise ContextMismatch("the envelope is for another context: " + ", ".join(differ))
    if tender_key is not None:
        tender_key_fingerprint = fingerprint(tender_key)
    if tender_key_fingerprint is not None and header.tender_key != tender_key_fingerprint:
        raise WrongTenderKey(
            f"the envelope is sealed to the tender key {header.tender_key}, "
            f"not {tender_key_fingerprint}"
        )


def _nonce(header: Header, index: int, flag: int) -> bytes:
    return header.nonce_prefix + index.to_bytes(4, "big") + bytes((flag,))


class Sealer:
    """A writable envelope: write the plaintext, then close() to write the final chunk.

    Used as a context manager, an exception inside the block leaves the
    envelope without its final chunk, so it can never pass for complete.
    After close(): `size` and `sha256` of the envelope bytes written.
    """

    def __init__(
        self,
        writer: Writer,
        *,
        public_key: PublicKeyLike,
        context: "Context | Mapping",
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ):
        public_key = load_public_key(public_key)
        header = build_header(context, tender_key=fingerprint(public_key), chunk_size=chunk_size)
        content_key = secrets.token_bytes(CONTENT_KEY_SIZE)
        sealed_key = _SUITE.encrypt(content_key, public_key, info=header.raw)
        self.header = Header(
            header.context,
            header.chunk_size,
            header.tender_key,
            header.nonce_prefix,
            header.raw,
            sealed_key,
        )
        self._aead = AESGCM(content_key)
        self._aad = self.header.digest
        self._writer = writer
        self._hash = hashlib.sha256()
        self._buffer = bytearray()
        self._index = 0
        self.size = 0
        self.plaintext_size = 0
        self.closed = False
        self._emit_raw(self.header.prefix)

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    def _emit_raw(self, data: bytes) -> None:
        self._writer.write(data)
        self._hash.update(data)
        self.size += len(data)

    def _emit(self, plaintext: bytes, flag: int) -> None:
        if self._index >= MAX_CHUNKS:
            raise EnvelopeTooLarge("an envelope holds at most 2**32 chunks")
        nonce = _nonce(self.header, self._index, flag)
        ciphertext = self._aead.encrypt(nonce, plaintext, self._aad)
        self._emit_raw(_RECORD.pack(flag, len(ciphertext)) + ciphertext)
        self._index += 1

    def write(self, data: bytes) -> int:
        if self.closed:
            raise ValueError("the envelope is closed")
        view = memoryview(data).cast("B")
        size, done = len(view), 0
        chunk_size = self.header.chunk_size
        while done < size:
            # A full chunk is held back until more data comes: the last one is final.
            if len(self._buffer) == chunk_size:
                self._emit(bytes(self._buffer), MORE)
                self._buffer.clear()
            take = min(chunk_size - len(self._buffer), size - done)
            self._buffer += view[done : done + take]
            done += take
        self.plaintext_size += size
        return size

    def close(self) -> None:
        """Write the final chunk (idempotent)."""
        if not self.closed:
            self._emit(bytes(self._buffer), FINAL)
            self._buffer.clear()
            self.closed = True

    def __enter__(self) -> "Sealer":
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:
            self.closed = True  # no final chunk: the envelope stays visibly incomplete


@dataclass(frozen=True)
class Sealed:
    """What sealing wrote: the header, and the envelope's size and SHA-256 (hex)."""

    header: Header
    size: int
    sha256: str
    plaintext_size: int


def seal(
    reader: Reader,
    writer: Writer,
    *,
    public_key: PublicKeyLike,
    context: "Context | Mapping",
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> Sealed:
    """Seal everything `reader` gives into an envelope written to `writer`."""
    sealer = Sealer(writer, public_key=public_key, context=context, chunk_size=chunk_size)
    with sealer:
        while block := reader.read(sealer.header.chunk_size):
            sealer.write(block)
    return Sealed(sealer.header, sealer.size, sealer.sha256, sealer.plaintext_size)


@dataclass(frozen=True)
class Record:
    """One chunk record as stored: its index, flag and ciphertext."""

    index: int
    flag: int
    ciphertext: bytes


class _Records:
    """Walk the chunk records after the header: framing, size limit, hash; no key."""

    def __init__(self, reader: Reader, header: Header, max_size: int | None):
        self.reader = reader
        self.header = header
        self.max_size = max_size
        self.hash = hashlib.sha256(header.prefix)
        self.size = len(header.prefix)
        self.plaintext_size = 0
        self.count = 0
        self._check_size(0)

    def _check_size(self, more: int) -> None:
        if self.max_size is not None and self.size + more > self.max_size:
            raise EnvelopeTooLarge(f"the envelope is larger than {self.max_size} bytes")

    def _take(self, size: int, what: str) -> bytes:
        self._check_size(size)
        data = read_exact(self.reader, size)
        self.hash.update(data)
        self.size += len(data)
        if len(data) < size:
            raise EnvelopeTruncated(f"the envelope ends inside {what}")
        return data

    def __iter__(self) -> Iterator[Record]:
        chunk_size = self.header.chunk_size
        while True:
            index = self.count
            if index >= MAX_CHUNKS:
                raise EnvelopeTooLarge("an envelope holds at most 2**32 chunks")
            head = read_exact(self.reader, _RECORD.size)
            if not head:
                raise EnvelopeTruncated(
                    f"the envelope ends after {index} chunks, without its final chunk"
                )
            self._check_size(len(head))
            self.hash.update(head)
            self.size += len(head)
            if len(head) < _RECORD.size:
                raise EnvelopeTruncated(f"the envelope ends inside the record of chunk {index}")
            flag, length = _RECORD.unpack(head)
            if flag == MORE:
                if length != chunk_size + TAG_SIZE:
                    raise MalformedChunk(f"chunk {index} is not final, yet not a full chunk")
            elif flag == FINAL:
                if not TAG_SIZE <= length <= chunk_size + TAG_SIZE:
                    raise MalformedChunk(f"the final chunk's length {length} is out of range")
                if length == TAG_SIZE and index > 0:
                    raise MalformedChunk("an empty final chunk follows data")
            else:
                raise MalformedChunk(f"chunk {index} has the unknown flag {flag}")
            ciphertext = self._take(length, f"chunk {index}")
            self.count += 1
            self.plaintext_size += length - TAG_SIZE
            if flag == FINAL:
                if read_exact(self.reader, 1):
                    raise TrailingData(f"bytes follow the final chunk (chunk {index})")
                yield Record(index, flag, ciphertext)
                return
            yield Record(index, flag, ciphertext)


@dataclass(frozen=True)
class Summary:
    """An envelope checked without a key: its header, size, SHA-256 (hex) and chunk count."""

    header: Header
    size: int
    sha256: str
    chunks: int
    plaintext_size: int


def inspect(
    reader: Reader,
    *,
    expected_context: "Context | Mapping | None" = None,
    tender_key: "PublicKeyLike | None" = None,
    tender_key_fingerprint: str | None = None,
    max_size: int | None = None,
) -> Summary:
    """Check a whole envelope's header and framing without a key, as the server does.

    Refuses what `parse_header` refuses, a cut-off envelope, bytes after the
    final chunk, a malformed record, an envelope over `max_size` bytes. It
    cannot see altered ciphertext: only the key holders can, at the opening.
    """
    header = parse_header(
        reader,
        expected_context=expected_context,
        tender_key=tender_key,
        tender_key_fingerprint=tender_key_fingerprint,
    )
    records = _Records(reader, header, max_size)
    for _ in records:
        pass
    return Summary(
        header, records.size, records.hash.hexdigest(), records.count, records.plaintext_size
    )


class _Opener:
    """Authenticate and decrypt records one by one."""

    def __init__(
        self,
        reader: Reader,
        private_key: PrivateKeyLike,
        expected_context: "Context | Mapping | None",
        max_size: int | None,
    ):
        private_key = load_private_key(private_key)
        self.header = parse_header(
            reader,
            expected_context=expected_context,
            tender_key=private_key.public_key(),
        )
        try:
            content_key = _SUITE.decrypt(self.header.sealed_key, private_key, info=self.header.raw)
        except InvalidTag:
            raise SealedKeyMismatch(
                "the content key does not open: the header or the sealed key was altered"
            ) from None
        if len(content_key) != CONTENT_KEY_SIZE:
            raise SealedKeyMismatch("the sealed content key is not 32 bytes")
        self._aead = AESGCM(content_key)
        self._aad = self.header.digest
        self.records = _Records(reader, self.header, max_size)

    def _decrypt(self, index: int, flag: int, ciphertext: bytes) -> bytes | None:
        try:
            return self._aead.decrypt(_nonce(self.header, index, flag), ciphertext, self._aad)
        except InvalidTag:
            return None

    def chunks(self) -> Iterator[bytes]:
        for record in self.records:
            plaintext = self._decrypt(record.index, record.flag, record.ciphertext)
            if plaintext is None:
                self._diagnose(record)
            yield plaintext

    def _diagnose(self, record: Record) -> None:
        start = max(0, record.index - _SEARCH_WINDOW)
        for other in range(start, min(record.index + _SEARCH_WINDOW + 1, MAX_CHUNKS)):
            if other == record.index:
                continue
            if self._decrypt(other, record.flag, record.ciphertext) is not None:
                raise ChunkOutOfOrder(
                    f"chunk {other} stands at position {record.index}: "
                    "chunks were reordered or repeated"
                )
        moved = self._decrypt(record.index, MORE, record.ciphertext)
        if record.flag == FINAL and moved is not None:
            raise EnvelopeTruncated(
                f"chunk {record.index} was marked final: the envelope was cut after it"
            )
        raise ChunkTagMismatch(f"chunk {record.index} does not authenticate: it was altered")


@dataclass(frozen=True)
class Opened:
    """What opening read: the header, and the envelope's size and SHA-256 (hex)."""

    header: Header
    size: int
    sha256: str
    chunks: int
    plaintext_size: int


def open(
    reader: Reader,
    writer: Writer,
    *,
    private_key: PrivateKeyLike,
    expected_context: "Context | Mapping | None" = None,
    max_size: int | None = None,
) -> Opened:
    """Open an envelope from `reader`, writing the plaintext to `writer` chunk by chunk.

    On any EnvelopeError the plaintext written so far is not to be used.
    The returned SHA-256 is of the envelope as read, to compare with a receipt.
    """
    opener = _Opener(reader, private_key, expected_context, max_size)
    for plaintext in opener.chunks():
        writer.write(plaintext)
    records = opener.records
    return Opened(
        opener.header, records.size, records.hash.hexdigest(), records.count, records.plaintext_size
    )


class OpenStream:
    """An envelope being opened, read like a file: `read(n)` returns authenticated plaintext.

    Reading to the end checks the final chunk; until then the plaintext is
    provisional (see `open`). `header` is available at once.
    """

    def __init__(
        self,
        reader: Reader,
        *,
        private_key: PrivateKeyLike,
        expected_context: "Context | Mapping | None" = None,
        max_size: int | None = None,
    ):
        self._opener = _Opener(reader, private_key, expected_context, max_size)
        self.header = self._opener.header
        self._chunks = self._opener.chunks()
        self._current = memoryview(b"")
        self._done = False

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            parts = [bytes(self._current)]
            parts.extend(self._chunks)
            self._current = memoryview(b"")
            self._done = True
            return b"".join(parts)
        while not self._current and not self._done:
            try:
                self._current = memoryview(next(self._chunks))
            except StopIteration:
                self._done = True
        taken = bytes(self._current[:size])
        self._current = self._current[size:]
        return taken

    @property
    def size(self) -> int:
        return self._opener.records.size

    @property
    def sha256(self) -> str:
        return self._opener.records.hash.hexdigest()
