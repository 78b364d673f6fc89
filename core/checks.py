"""System checks of core: the outbox's topic map, and the database role the application runs as."""

from django.conf import settings
from django.core import checks
from django.core.checks import Error, register
from django.utils.module_loading import import_string

from .dbroles import runtime_problems


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


@checks.register(checks.Tags.database)
def runtime_role_check(app_configs=None, databases=None, **kwargs):
    """The runtime role cannot get around the append-only tables (core.dbroles).

    Runs with `check --database default` (and `--deploy`): an error where
    PANJERE_REQUIRE_LEAST_PRIVILEGE is on (production), a warning elsewhere.
    """
    if not databases or "default" not in databases:
        return []
    level = checks.Error if settings.PANJERE_REQUIRE_LEAST_PRIVILEGE else checks.Warning
    return [
        level(
            f"The database role of DATABASE_URL could rewrite the audit trail: {problem}.",
            hint=(
                "Run `manage.py migrate` as the owner (DATABASE_MIGRATE_URL) and connect as the "
                "runtime role (docs/deployment.md, 'Database roles')."
            ),
            id="panjere.E001" if level is checks.Error else "panjere.W001",
        )
        for problem in runtime_problems()
    ]
