"""The Atom feed of new and amended notices: one entry per publication and per amendment."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bilingual import local_text

from . import selectors

FEED_SIZE = 50


def document_changes(amendment) -> list[str]:
    """The amendment's document changes, one sentence each, with the new SHA-256."""
    sentences = {
        "added": gettext_lazy(
            "New document “%(title)s”, version %(version)s (SHA-256 %(sha256)s)."
        ),
        "new_version": gettext_lazy("New version %(version)s of “%(title)s” (SHA-256 %(sha256)s)."),
        "withdrawn": gettext_lazy("“%(title)s” version %(version)s is withdrawn."),
    }
    return [
        str(sentences[entry["change"]]) % entry
        for entry in (amendment.changes or {}).get("documents", [])
    ]


class NoticesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Panjere: new and amended tender notices")
    subtitle = gettext_lazy("Every tender published and every amendment, newest first.")

    def link(self):
        return reverse("tenders:list")

    def items(self):
        return selectors.public_feed_entries(limit=FEED_SIZE)

    def item_title(self, entry):
        tender = entry["tender"]
        if entry["amendment"]:
            return _("Amendment %(number)s to %(reference)s: %(title)s") % {
                "number": entry["amendment"].number,
                "reference": tender.reference,
                "title": tender.title,
            }
        return _("Published: %(reference)s: %(title)s") % {
            "reference": tender.reference,
            "title": tender.title,
        }

    def item_description(self, entry):
        amendment = entry["amendment"]
        if amendment:
            summary = local_text(amendment, "summary").text
            return " ".join([summary, *document_changes(amendment)])
        return entry["tender"].description

    def item_link(self, entry):
        url = reverse("tenders:notice", kwargs={"key": entry["tender"].pk})
        if entry["amendment"]:
            return f"{url}#amendment-{entry['amendment'].number}"
        return url

    def item_guid(self, entry):
        tender = entry["tender"]
        if entry["amendment"]:
            return f"urn:panjere:tender:{tender.ocid}:amendment:{entry['amendment'].number}"
        return f"urn:panjere:tender:{tender.ocid}:published"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry["at"]

    def item_updateddate(self, entry):
        return entry["at"]

    def item_author_name(self, entry):
        return entry["tender"].buyer.name
