"""System checks of audit: every describer in settings.AUDIT_DESCRIBERS imports and is one."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .describers import Describer


@register()
def audit_describers_import(app_configs, **kwargs):
    """Each path in settings.AUDIT_DESCRIBERS names a `Describer` subclass (else pages fail)."""
    errors = []
    for object_type, path in sorted(getattr(settings, "AUDIT_DESCRIBERS", {}).items()):
        try:
            describer = import_string(path)
        except ImportError as exc:
            errors.append(
                Error(
                    f"The audit describer of {object_type!r}, {path!r}, cannot be imported: {exc}",
                    id="audit.E001",
                )
            )
            continue
        if not (isinstance(describer, type) and issubclass(describer, Describer)):
            errors.append(
                Error(
                    f"The audit describer of {object_type!r}, {path!r}, is not a Describer.",
                    id="audit.E002",
                )
            )
    return errors
