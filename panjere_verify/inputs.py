"""Reading the verifier's inputs: strict JSON from files, standard input or memory.

JSON is parsed strictly: a name repeated in one object, NaN and Infinity are
refused, since two readers could see two different documents in them. Text
is UTF-8 and nothing else.
"""

import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from .reports import UnusableInput

Source = Mapping | str | os.PathLike


def _unique_members(pairs: list[tuple[str, object]]) -> dict:
    members = dict(pairs)
    if len(members) != len(pairs):
        names = [name for name, _ in pairs]
        repeated = next(name for name in names if names.count(name) > 1)
        raise ValueError(f"the name {repeated!r} appears twice in one object")
    return members


def _no_constants(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_members, parse_constant=_no_constants)


def loads(text: str | bytes) -> object:
    """Return the JSON value of `text`, refusing repeated names, NaN and Infinity."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _DECODER.decode(text)


def read_text(path: str | os.PathLike) -> str:
    """Return a file's UTF-8 text; `-` is standard input."""
    try:
        if str(path) == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        return Path(path).read_bytes().decode("utf-8")
    except OSError as error:
        raise UnusableInput(f"{path}: cannot read it: {error.strerror}") from None
    except UnicodeDecodeError:
        raise UnusableInput(f"{path}: not UTF-8 text") from None


def load_document(source: Source, what: str) -> tuple[dict, str]:
    """Return a JSON object given as a mapping or a file, and a name to cite it by."""
    if isinstance(source, Mapping):
        return dict(source), what
    name = str(source)
    text = read_text(source)
    try:
        value = loads(text)
    except ValueError as error:  # also json.JSONDecodeError
        raise UnusableInput(f"{name}: not valid JSON ({error})") from None
    if not isinstance(value, dict):
        raise UnusableInput(f"{name}: expected a JSON object, found {type(value).__name__}")
    return value, name


def describe_fields(found: Iterable[str], expected: Iterable[str]) -> str:
    """Say which expected names are missing and which found ones are extra; "" if none."""
    found, expected = set(found), set(expected)
    missing = ", ".join(repr(name) for name in sorted(expected - found))
    extra = ", ".join(repr(name) for name in sorted(found - expected))
    return "; ".join(
        part for part in (missing and f"missing {missing}", extra and f"extra {extra}") if part
    )


def require_fields(document: Mapping, fields: Mapping[str, type | tuple], name: str) -> None:
    """Check that `document` has exactly `fields`, each of its type (never a bool for int)."""
    problem = describe_fields(document.keys(), fields.keys())
    if problem:
        raise UnusableInput(f"{name}: not in the expected format ({problem})")
    for field, kind in fields.items():
        value = document[field]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise UnusableInput(f"{name}: {field!r} has the wrong type")
