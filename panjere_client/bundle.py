"""What an envelope holds: named files behind a manifest, read and written as a stream.

    magic (8) | version (1) | manifest length (4, big-endian) | manifest (RFC 8785 JSON)
    | the files' bytes, one after the other, in the manifest's order

The manifest lists each file's name, media type, size, SHA-256 and whether
the supplier marks it confidential: `{"format": 1, "files": [{"name",
"media_type", "size", "sha256", "confidential"}]}`. Writing reads each file
twice (to hash it, then to copy it) and holds neither; reading checks each
file's size and hash as it ends, and that nothing follows the last file.

A financial (or single) envelope holds the price schedule, the JSON file
`price-schedule.json`; a technical envelope must not (prices are opened
only for technically qualified bids). Its format and rules are in
docs/sealing.md ("The price schedule"); amounts are decimal strings.
"""

import hashlib
import io
import mimetypes
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import BinaryIO

from . import envelope
from .encoding import EncodingError, loads, loads_canonical
from .errors import PanjereClientError
from .jcs import canonicalize
from .streams import Reader, Writer, read_exact

MAGIC = b"\x89PJB\r\n\x1a\n"
FORMAT_VERSION = 1
MAX_MANIFEST_SIZE = 1024 * 1024
MAX_FILES = 1000
MAX_NAME_BYTES = 255
PRICE_SCHEDULE = "price-schedule.json"
MAX_PRICE_SCHEDULE_SIZE = 1024 * 1024
_MAX_FILE_SIZE = 2**53 - 1
_BLOCK = 64 * 1024
_PREAMBLE_SIZE = 8 + 1 + 4
_ENTRY_FIELDS = {"name", "media_type", "size", "sha256", "confidential"}
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
# Characters no file name may hold on the systems a committee extracts to.
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\<>:"|?*]')
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,23})(\.[0-9]{1,9})?")
_CURRENCY = re.compile(r"[A-Z]{3}")


class BundleError(PanjereClientError):
    """A bundle refused; the subclass says why."""


class BadBundleMagic(BundleError):
    """Not a Panjere bundle."""


class UnsupportedBundleVersion(BundleError):
    """A bundle format version this code does not know."""


class MalformedManifest(BundleError):
    """The manifest is not canonical JSON of valid entries (names, types, sizes, hashes)."""


class BundleTruncated(BundleError):
    """The bundle ends before the manifest or a file does."""


class FileHashMismatch(BundleError):
    """A file's bytes do not hash to the manifest's SHA-256."""


class BundleTrailingData(BundleError):
    """Bytes follow the last file."""


class FileChanged(BundleError):
    """A file changed between the two readings of sealing."""


class MalformedPriceSchedule(BundleError):
    """The price schedule is missing, misplaced or wrong (amounts, totals, currency)."""


# --- names and the manifest ----------------------------------------------------------


def check_name(name: object) -> str:
    """Return `name` if it is a safe file name; raise MalformedManifest otherwise."""
    if not isinstance(name, str) or not name:
        raise MalformedManifest("a file name is a non-empty string")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        raise MalformedManifest(f"the file name {name[:40]!r}… is over {MAX_NAME_BYTES} bytes")
    if unicodedata.normalize("NFC", name) != name:
        raise MalformedManifest(f"the file name {name!r} is not in Unicode NFC")
    if _FORBIDDEN.search(name) or name in {".", ".."} or name != name.strip():
        raise MalformedManifest(f"the file name {name!r} is not a plain file name")
    return name


@dataclass(frozen=True)
class FileEntry:
    """One file of a bundle, as its manifest lists it."""

    name: str
    media_type: str
    size: int
    sha256: str
    confidential: bool = False

    @classmethod
    def from_json(cls, value: object) -> "FileEntry":
        if not isinstance(value, Mapping) or set(value) != _ENTRY_FIELDS:
            raise MalformedManifest(f"a file entry has exactly {', '.join(sorted(_ENTRY_FIELDS))}")
        entry = cls(**{name: value[name] for name in _ENTRY_FIELDS})
        entry.check()
        return entry

    def check(self) -> None:
        check_name(self.name)
        if not isinstance(self.media_type, str) or not _MEDIA_TYPE.fullmatch(self.media_type):
            raise MalformedManifest(f"{self.name}: {self.media_type!r} is not a media type")
        if type(self.size) is not int or not 0 <= self.size <= _MAX_FILE_SIZE:
            raise MalformedManifest(f"{self.name}: the size {self.size!r} is out of range")
        if not isinstance(self.sha256, str) or not _SHA256.fullmatch(self.sha256):
            raise MalformedManifest(f"{self.name}: the SHA-256 is not 64 lower-case hex digits")
        if type(self.confidential) is not bool:
            raise MalformedManifest(f"{self.name}: 'confidential' is true or false")

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in sorted(_ENTRY_FIELDS)}


@dataclass(frozen=True)
class Manifest:
    """A bundle's list of files, with its exact bytes."""

    files: tuple[FileEntry, ...]
    raw: bytes

    @classmethod
    def build(cls, files: Sequence[FileEntry], *, kind: str | None = None) -> "Manifest":
        document = {"format": FORMAT_VERSION, "files": [entry.to_json() for entry in files]}
        manifest = cls(tuple(files), canonicalize(document))
        manifest.check(kind)
        return manifest

    def check(self, kind: str | None) -> None:
        if not 0 < len(self.files) <= MAX_FILES:
            raise MalformedManifest(f"a bundle holds 1 to {MAX_FILES} files")
        for entry in self.files:
            entry.check()
        # lower(), not casefold(): the browser bundle folds with toLowerCase(), the same mapping.
        folded = [entry.name.lower() for entry in self.files]
        if len(set(folded)) != len(folded):
            raise MalformedManifest("two files have the same name (ignoring case)")
        if len(self.raw) > MAX_MANIFEST_SIZE:
            raise MalformedManifest(f"the manifest is over {MAX_MANIFEST_SIZE} bytes")
        schedule = self.get(PRICE_SCHEDULE)
        if schedule is not None and schedule.size > MAX_PRICE_SCHEDULE_SIZE:
            raise MalformedPriceSchedule("the price schedule is over 1 MiB")
        if schedule is not None and schedule.media_type != "application/json":
            raise MalformedPriceSchedule("the price schedule's media type is application/json")
        if kind == "technical" and schedule is not None:
            raise MalformedPriceSchedule("a technical envelope holds no price schedule")
        if kind in ("financial", "single") and schedule is None:
            raise MalformedPriceSchedule(f"a {kind} envelope holds {PRICE_SCHEDULE}")

    def get(self, name: str) -> FileEntry | None:
        return next((entry for entry in self.files if entry.name == name), None)


# --- writing -------------------------------------------------------------------------


@dataclass(frozen=True)
class BundleFile:
    """A file to put into a bundle: its name, media type, flag, and how to read it (twice)."""

    name: str
    media_type: str
    open: Callable[[], BinaryIO]
    confidential: bool = False

    @classmethod
    def from_path(
        cls,
        path: "str | Path",
        *,
        name: str | None = None,
        media_type: str | None = None,
        confidential: bool = False,
    ) -> "BundleFile":
        path = Path(path)
        name = unicodedata.normalize("NFC", name or path.name)
        guessed = media_type or mimetypes.guess_type(name, strict=False)[0]
        return cls(
            name, guessed or "application/octet-stream", lambda: path.open("rb"), confidential
        )

    @classmethod
    def from_bytes(
        cls, name: str, data: bytes, *, media_type: str, confidential: bool = False
    ) -> "BundleFile":
        return cls(name, media_type, lambda: io.BytesIO(data), confidential)


def _digest(file: BundleFile) -> tuple[int, str, bytes | None]:
    """Size, SHA-256 and, for the price schedule, its bytes (it is small and checked)."""
    hash_, size, kept = hashlib.sha256(), 0, bytearray()
    with file.open() as stream:
        while block := stream.read(_BLOCK):
            hash_.update(block)
            size += len(block)
            if file.name == PRICE_SCHEDULE and size <= MAX_PRICE_SCHEDULE_SIZE:
                kept += block
    return size, hash_.hexdigest(), bytes(kept) if file.name == PRICE_SCHEDULE else None


def write_bundle(
    writer: Writer, files: Sequence[BundleFile], *, kind: str | None = None
) -> Manifest:
    """Write a bundle of `files` to `writer`; with `kind`, check its price schedule rule."""
    entries = []
    for file in files:
        size, sha256, kept = _digest(file)
        entries.append(FileEntry(file.name, file.media_type, size, sha256, file.confidential))
        if kept is not None and size <= MAX_PRICE_SCHEDULE_SIZE:
            parse_price_schedule(kept)
    manifest = Manifest.build(entries, kind=kind)
    writer.write(MAGIC + bytes((FORMAT_VERSION,)) + len(manifest.raw).to_bytes(4, "big"))
    writer.write(manifest.raw)
    for file, entry in zip(files, entries, strict=True):
        hash_, size = hashlib.sha256(), 0
        with file.open() as stream:
            while size <= entry.size and (block := stream.read(_BLOCK)):
                hash_.update(block)
                size += len(block)
                if size <= entry.size:
                    writer.write(block)
        if (size, hash_.hexdigest()) != (entry.size, entry.sha256):
            raise FileChanged(f"{entry.name} changed while it was being sealed")
    return manifest


# --- reading -------------------------------------------------------------------------


class FileStream:
    """One file of a bundle being read: `read(n)`; its hash is checked when it ends."""

    def __init__(self, reader: Reader, entry: FileEntry, keep: bool):
        self._reader = reader
        self.entry = entry
        self._left = entry.size
        self._hash = hashlib.sha256()
        self._kept = bytearray() if keep else None
        self.done = False
        if entry.size == 0:
            self._finish()

    def read(self, size: int = -1) -> bytes:
        if self.done:
            return b""
        wanted = self._left if size is None or size < 0 else min(size, self._left)
        data = read_exact(self._reader, wanted)
        if len(data) < wanted:
            raise BundleTruncated(f"the bundle ends inside {self.entry.name}")
        self._hash.update(data)
        self._left -= len(data)
        if self._kept is not None:
            self._kept += data
        if not self._left:
            self._finish()
        return data

    def _finish(self) -> None:
        if self._hash.hexdigest() != self.entry.sha256:
            raise FileHashMismatch(f"{self.entry.name} does not match its SHA-256")
        self.done = True

    def drain(self) -> None:
        while not self.done:
            self.read(_BLOCK)

    @property
    def kept(self) -> bytes:
        return bytes(self._kept or b"")


class BundleReader:
    """A bundle read as a stream: `manifest` at once, then `files()` in order."""

    def __init__(self, reader: Reader, *, kind: str | None = None):
        self._reader = reader
        preamble = read_exact(reader, _PREAMBLE_SIZE)
        if preamble[: len(MAGIC)] != MAGIC[: len(preamble)]:
            raise BadBundleMagic("not a Panjere bundle (the magic bytes differ)")
        if len(preamble) < _PREAMBLE_SIZE:
            raise BundleTruncated("the bundle ends inside its preamble")
        if preamble[8] != FORMAT_VERSION:
            raise UnsupportedBundleVersion(f"the bundle format version {preamble[8]} is unknown")
        length = int.from_bytes(preamble[9:], "big")
        if not 0 < length <= MAX_MANIFEST_SIZE:
            raise MalformedManifest(f"the manifest's length {length} is out of range")
        raw = read_exact(reader, length)
        if len(raw) < length:
            raise BundleTruncated("the bundle ends inside its manifest")
        try:
            document = loads_canonical(raw)
        except EncodingError as error:
            raise MalformedManifest(f"the manifest is {error}") from None
        if not isinstance(document, dict) or document.get("format") != FORMAT_VERSION:
            raise UnsupportedBundleVersion("the manifest's format is unknown")
        if set(document) != {"format", "files"} or not isinstance(document["files"], list):
            raise MalformedManifest("the manifest has exactly 'format' and 'files'")
        files = tuple(FileEntry.from_json(entry) for entry in document["files"])
        self.manifest = Manifest(files, raw)
        self.manifest.check(kind)
        self.price_schedule: dict | None = None
        self._started = False

    def files(self) -> Iterator[FileStream]:
        """Yield each file's stream in order; what the caller leaves unread is still checked."""
        if self._started:
            raise ValueError("a bundle is read once")
        self._started = True
        for entry in self.manifest.files:
            stream = FileStream(self._reader, entry, keep=entry.name == PRICE_SCHEDULE)
            yield stream
            stream.drain()
            if entry.name == PRICE_SCHEDULE:
                self.price_schedule = parse_price_schedule(stream.kept)
        if read_exact(self._reader, 1):
            raise BundleTrailingData("bytes follow the last file of the bundle")


def read_bundle(
    reader: Reader, sink_for: Callable[[FileEntry], Writer], *, kind: str | None = None
) -> BundleReader:
    """Read a whole bundle, writing each file to `sink_for(entry)`; return the checked reader."""
    bundle = BundleReader(reader, kind=kind)
    for stream in bundle.files():
        sink = sink_for(stream.entry)
        while block := stream.read(_BLOCK):
            sink.write(block)
    return bundle


# --- with an envelope ----------------------------------------------------------------


def seal_files(
    writer: Writer,
    files: Sequence[BundleFile],
    *,
    public_key: envelope.PublicKeyLike,
    context: "envelope.Context | Mapping",
    chunk_size: int = envelope.DEFAULT_CHUNK_SIZE,
) -> tuple[envelope.Sealed, Manifest]:
    """Seal a bundle of `files` into one envelope written to `writer`."""
    sealer = envelope.Sealer(writer, public_key=public_key, context=context, chunk_size=chunk_size)
    with sealer:
        manifest = write_bundle(sealer, files, kind=sealer.header.context.kind)
    sealed = envelope.Sealed(sealer.header, sealer.size, sealer.sha256, sealer.plaintext_size)
    return sealed, manifest


# --- the price schedule --------------------------------------------------------------

_SCHEDULE_FIELDS = {"format", "currency", "items", "total"}
_ITEM_FIELDS = {"item", "description", "quantity", "unit", "unit_price", "total"}


def _decimal(value: object, what: str) -> Decimal:
    if not isinstance(value, str) or not _DECIMAL.fullmatch(value):
        raise MalformedPriceSchedule(f'{what} is a decimal string such as "1250.50", not {value!r}')
    return Decimal(value)


def _text(value: object, what: str, longest: int, *, empty: bool = False) -> str:
    if not isinstance(value, str) or len(value) > longest or (not value and not empty):
        raise MalformedPriceSchedule(f"{what} is a string of at most {longest} characters")
    return value


def _plain(value: Decimal) -> str:
    return format(value, "f")


def build_price_schedule(currency: str, items: Sequence[Mapping]) -> dict:
    """Return a price schedule of `items` (item, description, quantity, unit, unit_price).

    Each item's total is quantity times unit price, exactly; the schedule's total is
    their sum. Quantities and prices are decimal strings (or Decimals).
    """
    rows = []
    with localcontext() as exact:
        exact.prec = 80
        for item in items:
            quantity, price = str(item["quantity"]), str(item["unit_price"])
            rows.append(
                {
                    "item": item["item"],
                    "description": item.get("description", ""),
                    "quantity": quantity,
                    "unit": item.get("unit", ""),
                    "unit_price": price,
                    "total": _plain(_decimal(quantity, "a quantity") * _decimal(price, "a price")),
                }
            )
        total = sum((Decimal(row["total"]) for row in rows), Decimal(0))
    schedule = {"format": 1, "currency": currency, "items": rows, "total": _plain(total)}
    check_price_schedule(schedule)
    return schedule


def price_schedule_file(schedule: Mapping) -> BundleFile:
    """The price schedule as the file a financial envelope holds (canonical JSON)."""
    check_price_schedule(schedule)
    return BundleFile.from_bytes(
        PRICE_SCHEDULE, canonicalize(dict(schedule)), media_type="application/json"
    )


def parse_price_schedule(data: bytes) -> dict:
    """Parse and check a price schedule file."""
    try:
        schedule = loads(data)
    except EncodingError as error:
        raise MalformedPriceSchedule(f"the price schedule is {error}") from None
    check_price_schedule(schedule)
    return schedule


def check_price_schedule(schedule: object) -> None:
    """Refuse a price schedule whose fields, amounts or totals are wrong."""
    if not isinstance(schedule, Mapping) or set(schedule) != _SCHEDULE_FIELDS:
        raise MalformedPriceSchedule(
            f"a price schedule has exactly {', '.join(sorted(_SCHEDULE_FIELDS))}"
        )
    if schedule["format"] != 1:
        raise MalformedPriceSchedule("the price schedule's format is 1")
    if not isinstance(schedule["currency"], str) or not _CURRENCY.fullmatch(schedule["currency"]):
        raise MalformedPriceSchedule('the currency is an ISO 4217 code such as "IRR"')
    items = schedule["items"]
    if not isinstance(items, list) or not 0 < len(items) <= 10_000:
        raise MalformedPriceSchedule("a price schedule lists 1 to 10000 items")
    seen = set()
    with localcontext() as exact:
        exact.prec = 80
        total = Decimal(0)
        for position, item in enumerate(items, start=1):
            where = f"item {position}"
            if not isinstance(item, Mapping) or set(item) != _ITEM_FIELDS:
                raise MalformedPriceSchedule(
                    f"{where} has exactly {', '.join(sorted(_ITEM_FIELDS))}"
                )
            reference = _text(item["item"], f"{where}'s reference", 100)
            if reference in seen:
                raise MalformedPriceSchedule(f"the item {reference!r} is priced twice")
            seen.add(reference)
            _text(item["description"], f"{where}'s description", 1000, empty=True)
            _text(item["unit"], f"{where}'s unit", 32, empty=True)
            quantity = _decimal(item["quantity"], f"{where}'s quantity")
            if quantity == 0:
                raise MalformedPriceSchedule(f"{where}'s quantity is more than zero")
            price = _decimal(item["unit_price"], f"{where}'s unit price")
            line = _decimal(item["total"], f"{where}'s total")
            if line != quantity * price:
                raise MalformedPriceSchedule(
                    f"{where}'s total {item['total']} is not "
                    f"{item['quantity']} times {item['unit_price']}"
                )
            total += line
        if _decimal(schedule["total"], "the total") != total:
            raise MalformedPriceSchedule(f"the total {schedule['total']} is not the items' sum")
