"""panjere_verify.jcs is RFC 8785: it agrees with the rfc8785 package and refuses the rest."""

import math

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from panjere_verify.jcs import MAX_SAFE_INTEGER, CanonicalizationError, canonicalize

# Names whose UTF-16 order differs from their code point order: U+1F600 is
# stored as the surrogates D83D DE00, which sort below E000.
TRICKY_NAMES = ["\ue000", "\U0001f600", "\uffff", "\U00010000", "a", "A", "", "\x00", "é", "\u2028"]

texts = st.text(st.characters(exclude_categories=["Cs"])) | st.sampled_from(TRICKY_NAMES)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.sampled_from([MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER, 0])
    | texts
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(texts, children, max_size=6),
    max_leaves=40,
)


@settings(max_examples=500)
@given(json_values)
def test_agrees_with_the_rfc8785_package(value):
    assert canonicalize(value) == rfc8785.dumps(value)


@given(st.dictionaries(st.sampled_from(TRICKY_NAMES), st.integers(0, 9), min_size=2))
def test_sorts_names_by_utf16_code_units(members):
    assert canonicalize(members) == rfc8785.dumps(members)


def test_hand_written_examples():
    # RFC 8785 §3.2.3's sorting example, without its float members.
    assert canonicalize({"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew"}) == (
        '{"\\r":"Carriage Return","\u20ac":"Euro Sign","\ufb33":"Hebrew"}'.encode()
    )
    assert canonicalize({"\U0001f600": 1, "\ue000": 2}) == '{"\U0001f600":1,"\ue000":2}'.encode()
    # Escapes as JSON.stringify writes them; U+007F, U+2028 and non-ASCII stay literal.
    assert canonicalize('"\\\b\f\n\r\t\x00\x1f\x7f\u2028é') == (
        b'"\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f\x7f\xe2\x80\xa8\xc3\xa9"'
    )
    assert canonicalize({"b": [1, -2, True, None], "a": {}, "c": []}) == (
        b'{"a":{},"b":[1,-2,true,null],"c":[]}'
    )
    assert canonicalize(MAX_SAFE_INTEGER) == b"9007199254740991"
    assert canonicalize(-MAX_SAFE_INTEGER) == b"-9007199254740991"


SURROGATE = "a string holds the lone surrogate U+{}, which has no UTF-8 form"
FLOAT = "the number {} is not an integer: floats (and NaN, Infinity) are refused"
HUGE = "the integer {} is outside ±(2**53 - 1), which JSON numbers hold exactly"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (1.5, FLOAT.format("1.5")),
        (1.0, FLOAT.format("1.0")),
        (math.nan, FLOAT.format("nan")),
        (math.inf, FLOAT.format("inf")),
        ({"a": [-math.inf]}, FLOAT.format("-inf")),
        (2**53, HUGE.format("9007199254740992")),
        (-(2**53), HUGE.format("-9007199254740992")),
        (10**400, HUGE.format("of 1329 bits")),
        ("\ud800", SURROGATE.format("D800")),
        ({"k\udfff": 1}, SURROGATE.format("DFFF")),
        (["ok", "\ud83d"], SURROGATE.format("D83D")),
        ((1, 2), "a tuple has no JSON form here"),
        (b"bytes", "a bytes has no JSON form here"),
        ({1: "a"}, "object member names are strings, not 1"),
    ],
)
def test_refuses_what_has_no_canonical_form(value, message):
    with pytest.raises(CanonicalizationError) as refused:
        canonicalize(value)

    assert str(refused.value) == message


def test_refuses_nesting_deeper_than_python_recurses():
    value: list = []
    for _ in range(100_000):
        value = [value]

    with pytest.raises(CanonicalizationError, match="nested too deeply"):
        canonicalize(value)
