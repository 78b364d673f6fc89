"""core.units: the curated UN/ECE Recommendation 20 list, its labels and free-text matching."""

import pytest
from django.utils import translation

from core import units


def test_the_list_holds_the_common_procurement_units_with_both_labels():
    codes = units.units()

    assert len(codes) == 41
    for code in ("H87", "C62", "KGM", "TNE", "MTR", "KMT", "MTK", "MTQ", "LTR", "HUR", "DAY"):
        assert code in codes
    for code in ("MON", "ANN", "SET", "LS"):
        assert code in codes
    assert all(unit["en"] and unit["fa"] for unit in codes.values())
    assert (units.label("MTK", "en"), units.label("MTK", "fa")) == ("square metre", "متر مربع")


def test_the_label_follows_the_active_language_and_an_unknown_code_is_itself():
    with translation.override("fa"):
        assert units.label("KGM") == "کیلوگرم"
        assert units.choices()[0] == ("H87", "عدد (H87)")
    with translation.override("en"):
        assert units.label("KGM") == "kilogram"
    assert units.label("bags") == "bags"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("KGM", "KGM"),
        ("kg", "KGM"),
        ("Kilograms", "KGM"),
        ("t", "TNE"),
        ("m2", "MTK"),
        ("m²", "MTK"),
        ("Square Metres", "MTK"),
        ("متر مربع", "MTK"),
        ("میلی متر", "MMT"),
        ("pcs", "H87"),
        ("unit", "H87"),
        ("lump sum", "LS"),
        ("month", "MON"),
        ("bags", ""),
        ("", ""),
    ],
)
def test_free_text_units_match_their_code(text, code):
    assert units.match(text) == code
