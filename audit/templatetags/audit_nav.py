"""The header's link to the audit trail."""

from django import template

from audit.permissions import can_view_audit

register = template.Library()


@register.simple_tag
def may_see_audit(user) -> bool:
    """Whether the header links to the audit trail for `user`."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_view_audit(user)
