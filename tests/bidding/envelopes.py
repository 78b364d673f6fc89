"""Take envelopes apart and put them back together, to tamper with them in tests."""

import io
import struct

from panjere_client import envelope

RECORD = struct.Struct(">BI")


def split(data: bytes) -> tuple[bytes, list[bytes]]:
    """Return (the bytes before the first record, [each record: flag, length, ciphertext])."""
    stream = io.BytesIO(data)
    header = envelope.parse_header(stream)
    records = []
    while head := stream.read(RECORD.size):
        _, length = RECORD.unpack(head)
        records.append(head + stream.read(length))
    return header.prefix, records


def flip(data: bytes, position: int, bit: int = 0) -> bytes:
    """`data` with one bit flipped."""
    altered = bytearray(data)
    altered[position] ^= 1 << bit
    return bytes(altered)
