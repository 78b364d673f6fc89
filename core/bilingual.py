"""Text entered in English, Persian or both, read in the reader's language.

One pattern for every field the public reads: a pair of model fields, `x` for
the English text and `x_fa` for the Persian (the older `title`/`title_fa`
pair is the model). Either may be empty; where the field is required, at
least one is. A single text box takes either language: `pair` puts what was
written where its script says. A reader sees the variant in the active
language; when only the other exists it is shown, marked with its language
(`lang`/`dir` attributes and a small "(in English)" / "(in Persian)" note), so
a screen reader reads it with the right voice and a reader knows why.
"""

import re
from dataclasses import dataclass

from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# Arabic-script letters as Persian writes them (the Arabic block and its
# presentation forms), digits excluded: a Persian digit alone does not make a
# text Persian.
_PERSIAN_LETTER = re.compile(
    r"[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\ufb50-\ufdff\ufe70-\ufefc]"
)
_LATIN_LETTER = re.compile(r"[A-Za-z]")

LANGUAGES = ("en", "fa")
DIRECTION = {"en": "ltr", "fa": "rtl"}


def is_persian_text(text: str) -> bool:
    """Whether `text` is written mostly in Persian script (more Persian letters than Latin)."""
    text = text or ""
    return len(_PERSIAN_LETTER.findall(text)) > len(_LATIN_LETTER.findall(text))


def split_by_script(text: str) -> tuple[str, str]:
    """(`english`, `persian`) for one text entered in an unknown language.

    How existing single-language values move into the pair: into Persian when
    written in Persian script, else into English.
    """
    text = text or ""
    return ("", text) if is_persian_text(text) else (text, "")


def pair(text: str, text_fa: str = "") -> tuple[str, str]:
    """(`english`, `persian`) from what a person wrote.

    With `text_fa` given, `text` is the English; with one text only, it goes
    where its script says (split_by_script), so a form or API with a single
    box takes either language.
    """
    text, text_fa = (text or "").strip(), (text_fa or "").strip()
    if text_fa:
        return text, text_fa
    return split_by_script(text)


def reader_language(language: str | None = None) -> str:
    language = language or translation.get_language() or "en"
    return "fa" if language.startswith("fa") else "en"


@dataclass(frozen=True)
class LocalText:
    """One variant of a bilingual text, as a reader in `reader` sees it."""

    text: str
    lang: str
    reader: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.lang != self.reader

    @property
    def dir(self) -> str:
        return DIRECTION[self.lang]

    @property
    def marker(self) -> str:
        """The note saying which language the text is in, when not the reader's."""
        if not self.is_fallback:
            return ""
        return gettext("(in Persian)") if self.lang == "fa" else gettext("(in English)")

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        """The text, escaped; in the other language, marked with it."""
        return self._marked(escape(self.text))

    @property
    def lines(self) -> str:
        """As __html__, with its line breaks kept (`<br>`), for longer texts."""
        return self._marked(linebreaksbr(self.text, autoescape=True))

    def _marked(self, html) -> str:
        if not self.is_fallback:
            return mark_safe(html)  # noqa: S308 (escaped by the caller)
        return format_html(
            '<span lang="{}" dir="{}">{}</span> <small class="lang-marker">{}</small>',
            self.lang,
            self.dir,
            mark_safe(html),  # noqa: S308 (escaped by the caller)
            self.marker,
        )


def local_text(obj, field: str, language: str | None = None) -> LocalText:
    """The variant of `obj.<field>` / `obj.<field>_fa` for a reader of `language`.

    `obj` may be a model instance, any object with the attributes, or a dict
    (a declaration stored as {"en": ..., "fa": ...} uses field "" for its keys).
    """
    reader = reader_language(language)
    english, persian = variants(obj, field)
    if reader == "fa" and persian:
        return LocalText(persian, "fa", reader)
    if english:
        return LocalText(english, "en", reader)
    return LocalText(persian, "fa", reader)


def variants(obj, field: str) -> tuple[str, str]:
    """(`english`, `persian`) of a bilingual field of `obj`."""
    if isinstance(obj, dict):
        if field:
            return obj.get(field) or "", obj.get(f"{field}_fa") or ""
        return obj.get("en") or "", obj.get("fa") or ""
    return getattr(obj, field, "") or "", getattr(obj, f"{field}_fa", "") or ""


def both(english: str, persian: str) -> str:
    """Both variants in one line (English first), for audit payloads and e-mails."""
    if english and persian:
        return f"{english} / {persian}"
    return english or persian
