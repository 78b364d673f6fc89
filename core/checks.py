"""System checks of core: the outbox's topic map names functions that exist."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def outbox_handlers_import(app_configs, **kwargs):
    """Every path in settings.OUTBOX_HANDLERS imports and is callable (else messages would fail)."""
    errors = []
    for topic, path in sorted(getattr(settings, "OUTBOX_HANDLERS", {}).items()):
        try:
            function = import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"The outbox handler of {topic!r}, {path!r}, cannot be imported: {exc}",
                    id="core.E001",
                )
            )
            continue
        if not callable(function):
            errors.append(
                Error(
                    f"The outbox handler of {topic!r}, {path!r}, is not callable.", id="core.E002"
                )
            )
    return errors
