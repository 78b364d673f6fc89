"""The Atom feed of public tenders: one entry per publication, amendment, closing and cancellation.

In the reader's language: `/tenders/feed/?lang=fa` (titles in Persian where the tender has one).
"""

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
    title = gettext_lazy("Panjere: tender notices")
    subtitle = gettext_lazy(
        "Every tender published, amended, closed for bids or cancelled, newest first."
    )

    def link(self):
        return reverse("tenders:list")

    def items(self):
        return selectors.public_feed_entries(limit=FEED_SIZE)

    def item_title(self, entry):
        tender = entry["tender"]
        names = {"reference": tender.reference, "title": local_text(tender, "title").text}
        if entry["kind"] == "amended":
            return _("Amendment %(number)s to %(reference)s: %(title)s") % {
                **names,
                "number": entry["amendment"].number,
            }
        if entry["kind"] == "closed":
            return _("Closed for bids: %(reference)s: %(title)s") % names
        if entry["kind"] == "cancelled":
            return _("Cancelled: %(reference)s: %(title)s") % names
        return _("Published: %(reference)s: %(title)s") % names

    def item_description(self, entry):
        amendment = entry["amendment"]
        tender = entry["tender"]
        if amendment:
            summary = local_text(amendment, "summary").text
            return " ".join([summary, *document_changes(amendment)])
        if entry["kind"] == "closed":
            return _("The deadline for bids has passed: no bid is accepted any more.")
        if entry["kind"] == "cancelled":
            reason = local_text(tender, "cancellation_reason").text
            return _("Reason for cancellation: %(reason)s") % {"reason": reason}
        return tender.description

    def item_link(self, entry):
        url = reverse("tenders:notice", kwargs={"key": entry["tender"].pk})
        if entry["amendment"]:
            return f"{url}#amendment-{entry['amendment'].number}"
        return url

    def item_guid(self, entry):
        tender = entry["tender"]
        if entry["amendment"]:
            return f"urn:panjere:tender:{tender.ocid}:amendment:{entry['amendment'].number}"
        return f"urn:panjere:tender:{tender.ocid}:{entry['kind']}"

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry["at"]

    def item_updateddate(self, entry):
        return entry["at"]

    def item_author_name(self, entry):
        return entry["tender"].buyer.name
