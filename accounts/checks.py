"""System check: every permission name has its rule."""

import rules
from django.core.checks import Error, register


@register()
def every_permission_has_a_rule(app_configs, **kwargs):
    """A `Perm` without a registered rule would answer False everywhere, silently."""
    from .permissions import Perm

    return [
        Error(
            f"The permission {perm.value!r} has no rule registered with django-rules.",
            hint="Register it with accounts.rules.add() in the rules.py of the app it is about.",
            id="accounts.E001",
        )
        for perm in Perm
        if not rules.perm_exists(perm.value)
    ]
