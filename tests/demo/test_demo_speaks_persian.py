# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The demo speaks Persian first: its notice in Persian has no English where Persian exists."""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.urls import reverse

from tenders.models import Tender

pytestmark = pytest.mark.django_db

# What may stay in Latin script on a Persian page: codes and references
# (T-DEMO-001, 45233120-6, IRR, MTK, SHA-256), hashes, e-mail addresses, URLs and code.
EMAIL_OR_URL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’-]*")


def _is_code(word: str) -> bool:
    return (
        word.isupper()
        or any(ch.isdigit() for ch in word)
        or bool(re.fullmatch(r"[0-9a-f]{8,}", word))
    )


class _MainText(HTMLParser):
    """The visible text of <main>: no script, style or hidden template, and no <code>
    (a command's name, such as `panjere`, is typed as it is in either language).

    With `skip_cpv`, without the CPV labels either: the vocabulary has Persian
    labels for its 45 divisions only (core/data/NOTICE.md), so below them
    the official English label follows the division's Persian one; there is
    no Persian text to show instead.
    """

    SKIP = {"script", "style", "template", "code"}

    def __init__(self, *, skip_cpv=False):
        super().__init__()
        self.skip_cpv = skip_cpv
        self.depth = 0
        self.skipping = []
        self.chunks = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth += 1
            return
        if not self.depth or tag in VOID:
            return
        cpv = self.skip_cpv and "cpv-codes" in (dict(attrs).get("class") or "")
        if self.skipping or tag in self.SKIP or cpv:
            self.skipping.append(tag)

    def handle_endtag(self, tag):
        if tag == "main":
            self.depth -= 1
        elif self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if self.depth and not self.skipping:
            self.chunks.append(data)


def main_text(html: str, *, skip_cpv=False) -> str:
    parser = _MainText(skip_cpv=skip_cpv)
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def english_words(text: str) -> list[str]:
    text = EMAIL_OR_URL.sub(" ", text)
    return [word for word in WORD.findall(text) if not _is_code(word)]


@pytest.fixture
def demo():
    call_command("demo_data", stdout=io.StringIO(), accounts_only=False)


def _notice(client, reference, language):
    tender = Tender.objects.get(reference=reference)
    return client.get(
        reverse("tenders:notice", kwargs={"key": tender.pk}), HTTP_ACCEPT_LANGUAGE=language
    )


@pytest.mark.parametrize("reference", ["T-DEMO-001", "T-DEMO-002", "T-DEMO-005"])
def test_the_persian_demo_notice_shows_no_english_where_persian_exists(client, demo, reference):
    # given the demo, loaded as an Iranian ministry writes: Persian first, English beside it
    # when a Persian reader opens the notice
    response = _notice(client, reference, "fa")

    # then its main content has no English word, only codes and references
    assert response.status_code == 200
    text = main_text(response.content.decode(), skip_cpv=True)
    assert english_words(text) == []
    assert "(به انگلیسی)" not in text
    # and the CPV code's label starts with its division's Persian label
    assert "عملیات ساختمانی" in main_text(response.content.decode()) or reference != "T-DEMO-001"


def test_the_persian_demo_notice_reads_as_the_ministry_wrote_it(client, demo):
    # given / when
    text = main_text(_notice(client, "T-DEMO-001", "fa").content.decode())

    # then the buyer, the tender, its lots, items, units, documents and Q&A are in Persian
    for persian in (
        "بهسازی و روکش آسفالت محور کرج–چالوس",
        "وزارت راه و شهرسازی",
        "اداره کل راهداری استان البرز",
        "قطعه ۱: کرج تا گچسر",
        "از گچسر تا مرزن‌آباد، به طول ۳۵ کیلومتر، با ورودی‌های تونل کندوان.",
        "تراش آسفالت",
        "متر مربع",
        "تن",
        "کیلومتر",
        "هیچ تعارض منافعی با کارکنان دستگاه مناقصه‌گزار ندارم",
        "دستورالعمل شرکت در مناقصه",
        "فهرست بها و مقادیر",
        "آیا کارخانه آسفالت را می‌توان در انبار راهداری گچسر برپا کرد؟",
        "بله: انبار از هفته دوم در دسترس است؛ نقشه محل را ببینید.",
    ):
        assert persian in text, persian


def test_the_english_demo_notice_reads_in_english_with_the_same_facts(client, demo):
    # given / when
    text = main_text(_notice(client, "T-DEMO-001", "en").content.decode())

    # then the English variants, and no Persian marked as a fallback
    for english in (
        "Resurfacing of the Karaj-Chalus road",
        "Ministry of Roads and Urban Development",
        "Section 2: Gachsar to Marzanabad",
        "From Gachsar to Marzanabad, 35 km, with the Kandovan tunnel approaches.",
        "Asphalt concrete",
        "square metre",
        "tonne",
        "No conflict of interest with the buyer's staff",
        "Bill of quantities",
        "May the asphalt plant be installed at the Gachsar depot?",
    ):
        assert english in text, english
    assert "(in Persian)" not in text


def test_the_cancelled_demo_tender_gives_its_reason_in_the_readers_language(client, demo):
    # given / when
    persian = main_text(_notice(client, "T-DEMO-005", "fa").content.decode())
    english = main_text(_notice(client, "T-DEMO-005", "en").content.decode())

    # then
    assert "شهرداری خود پل عابر پیاده را می‌سازد." in persian
    assert "The municipality will build the footbridge itself." in english
    assert "The municipality" not in persian
