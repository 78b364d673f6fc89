"""The hashed bytes are RFC 8785 canonical JSON, reproducible by any implementation of it."""

import json
import math

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.chain import canonical_json, check_payload
from audit.exceptions import UnrecordablePayload
from panjere_verify import jcs

# What a payload may hold: text (any Unicode but lone surrogates), safe integers,
# booleans, null, and lists and objects of them.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers(-(2**53 - 1), 2**53 - 1) | TEXT
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_our_bytes_are_the_rfc8785_packages_and_the_independent_verifiers(value):
    assert canonical_json(value) == rfc8785.dumps(value) == jcs.canonicalize(value)


def test_keys_are_ordered_by_utf16_code_units_not_code_points():
    # U+E000 sorts after U+1F600 by UTF-16 code units (0xE000 > 0xD83D), before it by code point
    value = {"\ue000": 1, "\U0001f600": 2, "a": 3}

    assert canonical_json(value) == '{"a":3,"\U0001f600":2,"\ue000":1}'.encode()
    assert json.dumps(value, sort_keys=True, ensure_ascii=False).index("\ue000") < json.dumps(
        value, sort_keys=True, ensure_ascii=False
    ).index("\U0001f600")


def test_rfc8785_examples_written_out():
    assert canonical_json({"b": [True, None, "\u20ac\n\x1f"], "a": 1}) == (
        b'{"a":1,"b":[true,null,"\xe2\x82\xac\\n\\u001f"]}'
    )
    assert canonical_json({"peach": "This sorting order", "p\u00e9ch\u00e9": "is wrong"}) == (
        '{"peach":"This sorting order","p\u00e9ch\u00e9":"is wrong"}'.encode()
    )
    assert canonical_json('\u2028 \x7f \\ "') == '"\u2028 \x7f \\\\ \\""'.encode()


@pytest.mark.parametrize("value", [1.5, -0.0, 0.0, math.nan, math.inf, -math.inf, 1e21, 2**53])
def test_what_rfc8785_would_write_differently_is_refused_before_any_hash(value):
    with pytest.raises(UnrecordablePayload):
        check_payload({"value": value})
