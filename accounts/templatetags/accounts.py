"""Template filters of the accounts pages."""

import datetime

from django import template
from django.utils.translation import ngettext

from core.templatetags.panjere import localnumber

register = template.Library()


@register.filter
def duration(value) -> str:
    """A lock-out time as hours or minutes, in the active language's digits."""
    if not isinstance(value, datetime.timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": localnumber(hours)}
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {
        "count": localnumber(minutes)
    }


@register.filter
def token_display(token) -> str:
    """How a stored API token is shown: its public prefix only."""
    return f"pnj_{token.prefix}_…"


@register.filter
def role_label(code) -> str:
    """A role's name in the active language, from its code (the audit trail stores codes)."""
    from accounts.models import Role

    return Role(code).label if code in Role.values else (code or "")
