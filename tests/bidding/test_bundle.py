"""The bundle inside an envelope: files behind a manifest, and the price schedule."""

import hashlib
import io
import json

import pytest

from panjere_client import bundle, envelope
from panjere_client.bundle import (
    BadBundleMagic,
    BundleFile,
    BundleReader,
    BundleTrailingData,
    BundleTruncated,
    FileChanged,
    FileHashMismatch,
    MalformedManifest,
    MalformedPriceSchedule,
    UnsupportedBundleVersion,
)
from panjere_client.jcs import canonicalize

SCHEDULE = bundle.build_price_schedule(
    "IRR",
    [
        {
            "item": "101",
            "description": "Desk",
            "quantity": "12",
            "unit": "pcs",
            "unit_price": "2500000",
        },
        {
            "item": "102",
            "description": "Cable",
            "quantity": "1.5",
            "unit": "km",
            "unit_price": "12.50",
        },
    ],
)


def _files():
    return [
        BundleFile.from_bytes(
            "technical-offer.pdf",
            b"%PDF" + bytes(70_000),
            media_type="application/pdf",
            confidential=True,
        ),
        BundleFile.from_bytes("پیشنهاد فنی.txt", "سلام".encode(), media_type="text/plain"),
        BundleFile.from_bytes("empty.bin", b"", media_type="application/octet-stream"),
        bundle.price_schedule_file(SCHEDULE),
    ]


def _write(files, kind="financial") -> bytes:
    out = io.BytesIO()
    bundle.write_bundle(out, files, kind=kind)
    return out.getvalue()


def _read(data: bytes, kind="financial"):
    sinks = {}
    reader = bundle.read_bundle(
        io.BytesIO(data), lambda entry: sinks.setdefault(entry.name, io.BytesIO()), kind=kind
    )
    return reader, {name: sink.getvalue() for name, sink in sinks.items()}


def test_the_price_schedule_totals_are_exact():
    assert SCHEDULE == {
        "format": 1,
        "currency": "IRR",
        "items": [
            {
                "item": "101",
                "description": "Desk",
                "quantity": "12",
                "unit": "pcs",
                "unit_price": "2500000",
                "total": "30000000",
            },
            {
                "item": "102",
                "description": "Cable",
                "quantity": "1.5",
                "unit": "km",
                "unit_price": "12.50",
                "total": "18.750",
            },
        ],
        "total": "30000018.750",
    }


def test_files_come_back_with_their_manifest():
    # given four files, one marked confidential, written as a bundle
    data = _write(_files())

    # when it is read back
    reader, files = _read(data)

    # then every file is there, byte for byte, as the manifest lists it
    assert files == {
        "technical-offer.pdf": b"%PDF" + bytes(70_000),
        "پیشنهاد فنی.txt": "سلام".encode(),
        "empty.bin": b"",
        "price-schedule.json": canonicalize(SCHEDULE),
    }
    first = reader.manifest.files[0]
    assert (first.name, first.media_type, first.size, first.confidential) == (
        "technical-offer.pdf",
        "application/pdf",
        70_004,
        True,
    )
    assert first.sha256 == hashlib.sha256(b"%PDF" + bytes(70_000)).hexdigest()
    assert [entry.confidential for entry in reader.manifest.files] == [True, False, False, False]
    assert reader.price_schedule == SCHEDULE
    # the layout: magic, version, length, canonical manifest, then the files in order
    length = int.from_bytes(data[9:13], "big")
    assert data[:9] == b"\x89PJB\r\n\x1a\n\x01"
    manifest = json.loads(data[13 : 13 + length])
    assert canonicalize(manifest) == data[13 : 13 + length] == reader.manifest.raw
    assert data[13 + length :] == b"".join(files.values())


def test_a_bundle_sealed_in_an_envelope_opens_as_a_stream(tender_key, context):
    out = io.BytesIO()
    sealed, manifest = bundle.seal_files(
        out, _files(), public_key=tender_key.public_key(), context=context, chunk_size=4096
    )

    stream = envelope.OpenStream(io.BytesIO(out.getvalue()), private_key=tender_key)
    reader = BundleReader(stream, kind=stream.header.context.kind)
    names = [file.entry.name for file in reader.files()]  # each drained and checked

    assert names == [entry.name for entry in manifest.files]
    assert reader.price_schedule == SCHEDULE
    assert stream.sha256 == sealed.sha256


def test_not_a_bundle_or_another_version():
    data = _write(_files())

    with pytest.raises(BadBundleMagic):
        BundleReader(io.BytesIO(b"PK\x03\x04" + data))
    with pytest.raises(UnsupportedBundleVersion):
        BundleReader(io.BytesIO(data[:8] + b"\x02" + data[9:]))


def _with_manifest(data: bytes, change) -> bytes:
    length = int.from_bytes(data[9:13], "big")
    manifest = json.loads(data[13 : 13 + length])
    change(manifest)
    raw = canonicalize(manifest)
    return data[:9] + len(raw).to_bytes(4, "big") + raw + data[13 + length :]


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "a/b.pdf",
        "a\\b.pdf",
        ".",
        "..",
        " lead.pdf",
        "x\x00",
        "e\u0301.txt",
        "a:b",
        "",
        "x" * 256,
    ],
)
def test_file_names_that_could_escape_or_mislead(name):
    data = _with_manifest(_write(_files()), lambda m: m["files"][0].update(name=name))

    with pytest.raises(MalformedManifest):
        BundleReader(io.BytesIO(data))


def test_two_names_equal_but_for_case():
    files = _files()
    files[1] = BundleFile.from_bytes("Technical-Offer.PDF", b"x", media_type="application/pdf")

    with pytest.raises(MalformedManifest, match="same name"):
        _write(files)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["files"][0].update(size=-1),
        lambda m: m["files"][0].update(sha256="AB" * 32),
        lambda m: m["files"][0].update(media_type="PDF"),
        lambda m: m["files"][0].update(confidential=1),
        lambda m: m["files"][0].pop("confidential"),
        lambda m: m.update(files=[]),
        lambda m: m.update(note="x"),
    ],
    ids=["size", "sha256", "media-type", "confidential", "missing", "no-files", "extra"],
)
def test_a_manifest_not_in_the_format(change):
    with pytest.raises(MalformedManifest):
        BundleReader(io.BytesIO(_with_manifest(_write(_files()), change)))


def test_a_manifest_not_canonical():
    data = _write(_files())
    length = int.from_bytes(data[9:13], "big")
    spaced = json.dumps(json.loads(data[13 : 13 + length]), indent=1).encode()

    with pytest.raises(MalformedManifest, match="canonical"):
        BundleReader(io.BytesIO(data[:9] + len(spaced).to_bytes(4, "big") + spaced))


def test_a_file_altered_cut_or_followed():
    data = _write(_files())
    altered = bytearray(data)
    altered[-len(canonicalize(SCHEDULE)) - 10] ^= 1  # a byte of the second-to-last file

    with pytest.raises(FileHashMismatch):
        _read(bytes(altered))
    with pytest.raises(BundleTruncated):
        _read(data[:-1])
    with pytest.raises(BundleTrailingData):
        _read(data + b"\n")


def test_a_file_that_changes_while_it_is_sealed():
    readings = iter([b"first version", b"second version"])
    changing = BundleFile("offer.txt", "text/plain", lambda: io.BytesIO(next(readings)))

    with pytest.raises(FileChanged):
        _write([changing], kind=None)


def test_which_envelope_holds_the_price_schedule():
    technical = [file for file in _files() if file.name != "price-schedule.json"]

    with pytest.raises(MalformedPriceSchedule, match="technical envelope holds no price"):
        _write(_files(), kind="technical")
    with pytest.raises(MalformedPriceSchedule, match="financial envelope holds"):
        _write(technical, kind="financial")
    with pytest.raises(MalformedPriceSchedule, match="single envelope holds"):
        _write(technical, kind="single")
    assert _read(_write(technical, kind="technical"), kind="technical")[0].price_schedule is None


def _schedule(**changes):
    schedule = json.loads(json.dumps(SCHEDULE))
    for path, value in changes.items():
        target = schedule
        *parents, last = path.split("__")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return schedule


@pytest.mark.parametrize(
    "schedule",
    [
        _schedule(total="30000018.70"),
        _schedule(items__0__total="29999999"),
        _schedule(items__1__quantity="0"),
        _schedule(items__1__unit_price="-12.50"),
        _schedule(items__1__unit_price="1e3"),
        _schedule(items__1__unit_price=12.5),
        _schedule(items__1__item="101"),
        _schedule(items__1__unit=None),
        _schedule(currency="rial"),
        _schedule(items=[]),
        _schedule(format=2),
    ],
    ids=[
        "total",
        "line-total",
        "zero-quantity",
        "negative",
        "exponent",
        "number",
        "item-twice",
        "missing",
        "currency",
        "no-items",
        "format",
    ],
)
def test_a_wrong_price_schedule(schedule):
    with pytest.raises(MalformedPriceSchedule):
        bundle.check_price_schedule(schedule)


def test_a_price_schedule_that_is_not_json_or_holds_floats():
    with pytest.raises(MalformedPriceSchedule):
        bundle.parse_price_schedule(b'{"format": 1,')
    with pytest.raises(MalformedPriceSchedule):
        bundle.parse_price_schedule(
            b'{"format": 1.0, "currency": "IRR", "items": [], "total": "0"}'
        )


def test_a_wrong_price_schedule_is_not_sealed():
    wrong = BundleFile.from_bytes(
        "price-schedule.json",
        json.dumps(_schedule(total="1")).encode(),
        media_type="application/json",
    )

    with pytest.raises(MalformedPriceSchedule):
        _write([wrong])
