"""Fixtures shared by every test, and the rule for tests that need real services.

Tests marked `postgres`, `dbroles`, `redis` or `browser` need PostgreSQL
(DATABASE_URL), PostgreSQL with its two roles (DATABASE_URL for the runtime
role, DATABASE_MIGRATE_URL for the owner), Redis (REDIS_URL) or Debian's
Chromium (with axe-core from tests/e2e's npm packages). Without them the test is skipped with
a reason; with PANJERE_REQUIRE_SERVICES=1 (set by `.ci/run`) a missing
service fails the test instead, so CI can never pass by skipping.
"""

import os
import shutil

import pytest
from django.db import connection

# The test database is made and emptied by the owner role, used by the runtime role; every
# API answer the tests receive is checked against the OpenAPI schema.
pytest_plugins = ["tests.database_roles", "tests.api_schema_check"]

CHROMIUM = os.environ.get("PANJERE_CHROMIUM", "/usr/bin/chromium")


def _services_required() -> bool:
    return os.environ.get("PANJERE_REQUIRE_SERVICES") == "1"


def _missing(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis and a Celery worker: set REDIS_URL=redis://…"
    if marker == "dbroles":
        from core.dbroles import role_names

        if connection.vendor != "postgresql" or not role_names().distinct:
            return (
                "needs PostgreSQL with two roles: set DATABASE_URL to the runtime role and "
                "DATABASE_MIGRATE_URL to the owner (`make db-roles`)"
            )
    if marker == "browser" and not shutil.which(CHROMIUM):
        return f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)"
    if marker == "browser":
        from tests.e2e.axe import axe_missing

        return axe_missing()
    return None


def pytest_runtest_setup(item):
    for marker in ("postgres", "dbroles", "redis", "browser"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing(marker)
        if reason is None:
            continue
        if _services_required():
            pytest.fail(f"{reason} (PANJERE_REQUIRE_SERVICES=1: CI refuses to skip it)")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: nothing rendered for another test's data is reused."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"
