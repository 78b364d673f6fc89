"""The auditor's panel on the one-window dashboard."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.clock import db_now
from core.dashboard import ActionItem

from .permissions import can_view_audit
from .selectors import events_recorded_since


def recent_events(user) -> list[ActionItem]:
    """For auditors: how many events were recorded in the last 24 hours."""
    if not can_view_audit(user):
        return []
    count = events_recorded_since(db_now() - datetime.timedelta(hours=24))
    return [
        ActionItem(
            title=_("Audit trail"),
            detail=ngettext(
                "%(count)d event recorded in the last 24 hours.",
                "%(count)d events recorded in the last 24 hours.",
                count,
            )
            % {"count": count},
            url=reverse("audit:events"),
            count=count,
            level="info",
        )
    ]
