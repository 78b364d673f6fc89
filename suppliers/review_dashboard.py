"""The verifying officers' item on the one-window dashboard: what awaits review."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import Perm, has_perm
from core.dashboard import ActionItem
from core.templatetags.panjere import localdatetime, localnumber

from .selectors import review_queue_summary


def registrations_awaiting_review(user) -> list[ActionItem]:
    """For verifying officers: how many registrations wait, and since when the oldest."""
    if not has_perm(user, Perm.VERIFY_SUPPLIERS):
        return []
    count, oldest = review_queue_summary()
    if not count:
        return []
    return [
        ActionItem(
            title=ngettext(
                "%(count)s registration awaits verification",
                "%(count)s registrations await verification",
                count,
            )
            % {"count": localnumber(count)},
            detail=_("The oldest has waited since %(date)s.") % {"date": localdatetime(oldest)},
            url=reverse("supplier_review:queue"),
            count=count,
            level="warning",
        )
    ]
