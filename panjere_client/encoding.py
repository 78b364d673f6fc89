"""Strict readings of the encodings the formats use: JSON, base64 and hex.

Every format here has exactly one byte form, so these readers refuse what a
lenient parser would let through: repeated object member names, floats and
NaN, base64 without padding or with line breaks, upper-case hex.
"""

import base64
import binascii
import json
import re

from .jcs import CanonicalizationError, canonicalize

_HEX = re.compile(r"[0-9a-f]*")


class EncodingError(ValueError):
    """Not in the encoding it should be in; the caller turns it into its own error."""


def _pairs(pairs: list[tuple[str, object]]) -> dict:
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise EncodingError(f"the member {repeated[0]!r} is repeated")
    return dict(pairs)


def _no_float(text: str) -> object:
    raise EncodingError(f"the number {text} is not an integer")


def loads(data: bytes | str) -> object:
    """Parse JSON, refusing repeated member names, fractions, exponents, NaN and Infinity."""
    try:
        return json.loads(
            data,
            object_pairs_hook=_pairs,
            parse_float=_no_float,
            parse_constant=_no_float,
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EncodingError(f"not valid JSON ({error})") from None


def loads_canonical(data: bytes) -> object:
    """Parse JSON that must be exactly its RFC 8785 canonical form."""
    value = loads(data)
    try:
        canonical = canonicalize(value)
    except CanonicalizationError as error:
        raise EncodingError(str(error)) from None
    if canonical != data:
        raise EncodingError("not in RFC 8785 canonical form")
    return value


def b64encode(data: bytes) -> str:
    """Standard, padded base64 (RFC 4648 §4)."""
    return base64.b64encode(data).decode("ascii")


def b64decode(text: object, *, size: int | None = None) -> bytes:
    """Decode standard, padded base64, refusing any other spelling; check the size if given."""
    if not isinstance(text, str):
        raise EncodingError("base64 is written as a string")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EncodingError("not standard base64") from None
    if base64.b64encode(raw).decode("ascii") != text:
        raise EncodingError("not standard, padded base64")
    if size is not None and len(raw) != size:
        raise EncodingError(f"{len(raw)} bytes where {size} are expected")
    return raw


def hexdecode(text: object, *, size: int) -> bytes:
    """Decode lower-case hex of exactly `size` bytes."""
    if not isinstance(text, str) or len(text) != 2 * size or not _HEX.fullmatch(text):
        raise EncodingError(f"not {2 * size} lower-case hexadecimal digits")
    return bytes.fromhex(text)
