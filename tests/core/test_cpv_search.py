# ruff: noqa: RUF001 -- Persian text is the point of these tests.
"""CPV search: codes first, whole words before parts of words, Persian labels searched too."""

from core import cpv


def test_a_code_or_its_beginning_finds_those_codes_broadest_first():
    assert [code for code, _label in cpv.search("4523", limit=4)] == [
        "45230000-8",
        "45231000-5",
        "45232000-2",
        "45233000-9",
    ]
    assert cpv.search("45233120-6") == [("45233120-6", "Road construction works")]


def test_a_code_typed_with_persian_digits_is_the_same_code():
    assert cpv.search("۴۵۲۳۳۱۲۰-۶") == [("45233120-6", "Road construction works")]


def test_whole_words_rank_before_parts_of_words():
    results = [label for _code, label in cpv.search("asphalt", limit=3)]

    assert results == ["Bitumen and asphalt", "Asphalt", "Paving and asphalting works"]


def test_every_word_must_match():
    results = cpv.search("road construction", limit=50)

    assert ("45233120-6", "Road construction works") in results
    assert all(
        "road" in label.casefold() and "construction" in label.casefold()
        for _code, label in results
    )


def test_persian_words_find_the_persian_division_labels_in_either_language():
    english = cpv.search("ساختمان", limit=2, language="en")
    persian = cpv.search("ساختمان", limit=2, language="fa")

    assert [code for code, _label in english] == ["44000000-0", "44100000-1"]
    assert english[0][1].startswith("Construction structures and materials")
    assert persian[0] == (
        "44000000-0",
        "سازه‌ها و مصالح ساختمانی؛ محصولات جانبی ساختمان (به‌جز دستگاه‌های برقی)",
    )


def test_nothing_is_found_for_nothing():
    assert cpv.search("   ") == []
