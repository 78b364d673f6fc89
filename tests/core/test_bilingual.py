"""core.bilingual: a pair of texts read in the reader's language, the other marked with its own."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from core import bilingual

LOCAL = Template('{% load panjere %}{% local obj "name" %}')
LINES = Template('{% load panjere %}{% local obj "name" as name %}{{ name.lines }}')


def _render(template, language, **fields):
    with translation.override(language):
        return template.render(Context({"obj": SimpleNamespace(**fields)}))


def test_the_reader_reads_their_own_language_unmarked():
    both = {"name": "Ministry of Roads", "name_fa": "وزارت راه"}

    assert _render(LOCAL, "fa", **both) == "وزارت راه"
    assert _render(LOCAL, "en", **both) == "Ministry of Roads"


def test_the_other_language_is_shown_marked_with_its_language_when_only_it_exists():
    # given a name in Persian only, and one in English only
    # when / then each reader sees it, with lang, dir and a note in the reader's language
    assert _render(LOCAL, "en", name="", name_fa="وزارت راه") == (
        '<span lang="fa" dir="rtl">وزارت راه</span> <small class="lang-marker">(in Persian)</small>'
    )
    assert _render(LOCAL, "fa", name="Ministry of Roads", name_fa="") == (
        '<span lang="en" dir="ltr">Ministry of Roads</span> '
        '<small class="lang-marker">(به انگلیسی)</small>'
    )


def test_the_text_is_escaped_and_keeps_its_lines():
    assert _render(LOCAL, "en", name="<b>A & B</b>", name_fa="") == "&lt;b&gt;A &amp; B&lt;/b&gt;"
    assert _render(LINES, "en", name="one\ntwo <i>", name_fa="") == "one<br>two &lt;i&gt;"
    assert _render(LINES, "en", name="", name_fa="یک\nدو") == (
        '<span lang="fa" dir="rtl">یک<br>دو</span> <small class="lang-marker">(in Persian)</small>'
    )


def test_neither_variant_is_empty_text():
    assert _render(LOCAL, "fa", name="", name_fa="") == ""
    assert not bilingual.local_text(SimpleNamespace(name="", name_fa=""), "name", "fa")


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("Asphalt milling", ("Asphalt milling", "")),
        ("تراش آسفالت", ("", "تراش آسفالت")),
        # mostly Persian, with a code in it
        ("آمبولانس تیپ B", ("", "آمبولانس تیپ B")),
        # mostly English, with a Persian name in it
        ("Supply for وزارت", ("Supply for وزارت", "")),
        # Persian digits alone are not Persian text
        ("۱۲۳", ("۱۲۳", "")),
        ("", ("", "")),
    ],
)
def test_one_text_goes_where_its_script_says(text, pair):
    assert bilingual.pair(text) == pair


def test_with_both_given_the_first_is_the_english():
    assert bilingual.pair(" Roads ", " راه ") == ("Roads", "راه")
    assert bilingual.both("Roads", "راه") == "Roads / راه"
    assert bilingual.both("", "راه") == "راه"


def test_a_dict_pair_and_a_list_pair():
    # a document's titles by language, and a tender's declarations (lists)
    titles = {"en": "Bill of quantities", "fa": "فهرست بها"}
    tender = SimpleNamespace(required_declarations=["No conflict"], required_declarations_fa=[])

    assert str(bilingual.local_text(titles, "", "fa")) == "فهرست بها"
    declarations = bilingual.local_text(tender, "required_declarations", "fa")
    assert (declarations.text, declarations.lang, declarations.is_fallback) == (
        ["No conflict"],
        "en",
        True,
    )
