"""RFC 8785 JSON Canonicalization Scheme (JCS): the bytes every Panjere sealing format hashes.

A copy of panjere_verify/jcs.py (the two packages stand alone and import
nothing from each other; tests/bidding/test_jcs_copy.py holds them equal).

It covers what the formats hold: objects, arrays, strings, integers,
booleans and null. Numbers are integers within ±(2**53 - 1), where RFC 8785's
ECMAScript number form is the plain decimal integer; a float, NaN, ±Infinity
or a larger integer is refused rather than rounded (amounts are decimal
strings, never JSON numbers).

Strings are written as ECMAScript's JSON.stringify writes them: the two-letter
escapes for `"` `\\` and \\b \\f \\n \\r \\t, `\\u00xx` (lowercase hex) for the
other controls U+0000 to U+001F, everything else as literal UTF-8. A lone
surrogate has no UTF-8 form and is refused. Object members are sorted by the
UTF-16 code units of their names (RFC 8785 §3.2.3), which differs from code
point order once names hold characters above U+FFFF.
"""

import re

MAX_SAFE_INTEGER = 2**53 - 1

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
}
for _code in range(0x20):
    _ESCAPES.setdefault(chr(_code), f"\\u{_code:04x}")
_NEEDS_ESCAPE = re.compile('[\\x00-\\x1f"\\\\]')
_ASTRAL = re.compile("[\\U00010000-\\U0010ffff]")


class CanonicalizationError(ValueError):
    """A value that has no canonical form here: a float, a huge integer, a lone surrogate…"""


def canonicalize(value: object) -> bytes:
    """Return the RFC 8785 canonical JSON of `value`, as UTF-8 bytes."""
    parts: list[str] = []
    try:
        _write(value, parts)
    except RecursionError:
        raise CanonicalizationError("the value is nested too deeply") from None
    text = "".join(parts)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        raise CanonicalizationError(_surrogate(error)) from None


def _write(value: object, parts: list[str]) -> None:
    # Dispatch on the exact type first: what json.loads returns, and fast.
    kind = type(value)
    if kind is str:
        _write_string(value, parts)
    elif kind is dict:
        _object(value, parts)
    elif kind is int:
        parts.append(_integer(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is list:
        _array(value, parts)
    elif isinstance(value, float):
        raise CanonicalizationError(
            f"the number {value!r} is not an integer: floats (and NaN, Infinity) are refused"
        )
    elif isinstance(value, str):  # subclasses, such as a StrEnum
        _write_string(str.__str__(value), parts)
    elif isinstance(value, int):
        parts.append(_integer(int(value)))
    elif isinstance(value, dict):
        _object(value, parts)
    elif isinstance(value, list):
        _array(value, parts)
    else:
        raise CanonicalizationError(f"a {type(value).__name__} has no JSON form here")


def _integer(value: int) -> str:
    if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
        shown = value if value.bit_length() < 128 else f"of {value.bit_length()} bits"
        raise CanonicalizationError(
            f"the integer {shown} is outside ±(2**53 - 1), which JSON numbers hold exactly"
        )
    return str(value)


def _array(value: list, parts: list[str]) -> None:
    parts.append("[")
    for position, item in enumerate(value):
        if position:
            parts.append(",")
        _write(item, parts)
    parts.append("]")


def _object(value: dict, parts: list[str]) -> None:
    names = list(value)
    astral = False
    for name in names:
        if not isinstance(name, str):
            raise CanonicalizationError(f"object member names are strings, not {name!r}")
        astral = astral or _ASTRAL.search(name) is not None
    # Code point order is UTF-16 order unless a name holds a character above
    # U+FFFF, which UTF-16 writes as surrogates (D800-DFFF), below E000-FFFF.
    if astral:
        try:
            names.sort(key=lambda name: name.encode("utf-16-be"))
        except UnicodeEncodeError as error:
            raise CanonicalizationError(_surrogate(error)) from None
    else:
        names.sort()
    append = parts.append
    append("{")
    for position, name in enumerate(names):
        if position:
            append(",")
        _write_string(name, parts)
        append(":")
        _write(value[name], parts)
    append("}")


def _write_string(text: str, parts: list[str]) -> None:
    # Appending the quotes apart spares a copy of every string: this runs
    # for every name and value of every record.
    parts.append('"')
    if _NEEDS_ESCAPE.search(text) is None:
        parts.append(text)
    else:
        parts.append(_NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group()], text))
    parts.append('"')


def _surrogate(error: UnicodeEncodeError) -> str:
    code = ord(error.object[error.start])
    return f"a string holds the lone surrogate U+{code:04X}, which has no UTF-8 form"
