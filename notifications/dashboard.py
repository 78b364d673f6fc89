"""The dashboard's notifications item: how many notifications are still unread."""

from django.urls import reverse
from django.utils.translation import ngettext

from core.dashboard import ActionItem
from core.templatetags.panjere import localnumber

from .selectors import notification_unread_count


def unread_notifications(user) -> list[ActionItem]:
    count = notification_unread_count(user=user)
    if not count:
        return []
    title = ngettext("%(count)s unread notification", "%(count)s unread notifications", count) % {
        "count": localnumber(count)
    }
    return [ActionItem(title=title, url=reverse("notifications:inbox"), count=count)]
