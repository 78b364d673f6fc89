"""System checks of the ground floor: the database role the application runs as.

`manage.py check --database default` (and `--deploy`) reports each way the
runtime role could get around the append-only tables (core.dbroles): an error
where PANJERE_REQUIRE_LEAST_PRIVILEGE is on (production), a warning elsewhere.
"""

from django.conf import settings
from django.core import checks

from .dbroles import runtime_problems


@checks.register(checks.Tags.database)
def runtime_role_check(app_configs=None, databases=None, **kwargs):
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
