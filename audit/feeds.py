"""The Atom feed of signed checkpoints: outsiders keep copies, and a rewrite shows."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors

FEED_SIZE = 50


class CheckpointsFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("Panjere: signed checkpoints of the audit trail")
    subtitle = gettext_lazy(
        "The audit trail's size and Merkle root, signed by the platform, newest first. Keep "
        "copies: a trail rewritten later no longer matches them."
    )

    def link(self):
        return reverse("audit:checkpoints")

    def items(self):
        return selectors.checkpoint_list()[:FEED_SIZE]

    def item_title(self, checkpoint):
        return _("%(size)s events, root %(root)s") % {
            "size": checkpoint.size,
            "root": checkpoint.root_hash,
        }

    def item_description(self, checkpoint):
        return _("Log %(log)s, signed with key %(key)s: %(signature)s") % {
            "log": checkpoint.log,
            "key": checkpoint.key_id,
            "signature": checkpoint.signature,
        }

    def item_link(self, checkpoint):
        return reverse("audit:checkpoint", kwargs={"size": checkpoint.size})

    def item_guid(self, checkpoint):
        return f"{settings.AUDIT_LOG_ID}#checkpoint-{checkpoint.size}"

    item_guid_is_permalink = False

    def item_pubdate(self, checkpoint):
        return checkpoint.recorded_at

    def item_updateddate(self, checkpoint):
        return checkpoint.recorded_at
