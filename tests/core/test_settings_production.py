"""Production settings refuse to start without their secrets and services, and forbid demo data.

Each case imports `config.settings.production` in a fresh interpreter with
exactly the environment given, so nothing of this process leaks in; a
developer's `.env` file is ignored there for the same reason.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.base import DEMO_SECRET_KEY, DEMO_SIGNING_KEY

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k3y-" + "x7Q9" * 15  # 64 characters, not the demo key

GOOD = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "panjere.example,www.panjere.example",
    "DATABASE_URL": "postgres://panjere@db.panjere.example:5432/panjere",
    "REDIS_URL": "redis://cache.panjere.example:6379/0",
    "PANJERE_SIGNING_KEY": "q3Xw0cE3h2m9ZxkW5d8oTfYV1nBq7LrS4aJ6uPgHiCk=",
}

IMPORT_SETTINGS = """
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)  # ignore any .env
from django.core.exceptions import ImproperlyConfigured
try:
    import config.settings.production as s
except ImproperlyConfigured as error:
    print(f"ImproperlyConfigured: {error}")
    raise SystemExit(3)
db = s.DATABASES["default"]
print(s.DEBUG, s.PANJERE_DEMO_DATA_ALLOWED, s.CELERY_TASK_ALWAYS_EAGER, s.ALLOWED_HOSTS,
      db["ENGINE"], db["CONN_MAX_AGE"], db["CONN_HEALTH_CHECKS"], s.SESSION_COOKIE_SECURE,
      s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_PRELOAD,
      s.EMAIL_BACKEND)
"""


def run(code: str, environment: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(ROOT)}
    env.update(environment)
    return subprocess.run(
        [sys.executable, *(("-c", code) if code else ()), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def without(name: str) -> dict[str, str]:
    return {key: value for key, value in GOOD.items() if key != name}


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            without("DJANGO_SECRET_KEY"),
            "Set the DJANGO_SECRET_KEY environment variable",
        ),
        (
            {**GOOD, "DJANGO_SECRET_KEY": DEMO_SECRET_KEY},
            "DJANGO_SECRET_KEY must be a unique secret of at least 50 characters.",
        ),
        (
            {**GOOD, "DJANGO_SECRET_KEY": "s" * 49},
            "DJANGO_SECRET_KEY must be a unique secret of at least 50 characters.",
        ),
        (
            without("DJANGO_ALLOWED_HOSTS"),
            "Set the DJANGO_ALLOWED_HOSTS environment variable",
        ),
        (
            without("DATABASE_URL"),
            "Production runs on PostgreSQL: set DATABASE_URL=postgres://…",
        ),
        (
            {**GOOD, "DATABASE_URL": "sqlite:////tmp/panjere.sqlite3"},
            "Production runs on PostgreSQL: set DATABASE_URL=postgres://…",
        ),
        (
            without("REDIS_URL"),
            "Production needs REDIS_URL for Celery.",
        ),
        (
            without("PANJERE_SIGNING_KEY"),
            "Set the PANJERE_SIGNING_KEY environment variable",
        ),
        (
            {**GOOD, "PANJERE_SIGNING_KEY": DEMO_SIGNING_KEY},
            "PANJERE_SIGNING_KEY is the public demo key: generate the platform's own "
            "(docs/audit.md, 'The signing key').",
        ),
    ],
    ids=[
        "secret-key-missing",
        "demo-secret-key",
        "short-secret-key",
        "allowed-hosts-missing",
        "database-missing",
        "database-sqlite",
        "redis-missing",
        "signing-key-missing",
        "demo-signing-key",
    ],
)
def test_production_settings_refuse_an_unsafe_environment(environment, message):
    # when
    result = run(IMPORT_SETTINGS, environment)

    # then
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == f"ImproperlyConfigured: {message}"


def test_production_settings_accept_a_complete_environment():
    # when
    result = run(IMPORT_SETTINGS, GOOD)

    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",  # DEBUG
        "False",  # PANJERE_DEMO_DATA_ALLOWED
        "False",  # CELERY_TASK_ALWAYS_EAGER
        "['panjere.example',",
        "'www.panjere.example']",
        "django.db.backends.postgresql",
        "60",  # CONN_MAX_AGE: persistent connections by default
        "True",  # CONN_HEALTH_CHECKS
        "True",  # SESSION_COOKIE_SECURE
        "True",  # CSRF_COOKIE_SECURE
        "True",  # SECURE_SSL_REDIRECT
        "31536000",  # SECURE_HSTS_SECONDS
        "True",  # SECURE_HSTS_PRELOAD
        "django.core.mail.backends.smtp.EmailBackend",
    ]


def test_demo_data_is_refused_under_production_settings():
    # given production settings (the database is never reached: the command refuses first)
    environment = {**GOOD, "DJANGO_SETTINGS_MODULE": "config.settings.production"}

    # when
    result = run("", environment, "manage.py", "demo_data", "--skip-checks")

    # then
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "CommandError: Demo data is not allowed here (PANJERE_DEMO_DATA_ALLOWED is False). "
        "It creates accounts whose passwords and TOTP secrets are public, so a real "
        "deployment must never load it."
    )


def test_every_environment_variable_of_the_settings_is_documented_in_env_example():
    # given the variables the settings read: env("X"), env.int("X"), env.db("X"), …
    source = "\n".join(path.read_text() for path in (ROOT / "config" / "settings").glob("*.py"))
    read = set(re.findall(r"\benv(?:\.\w+)?\(\s*\"([A-Z][A-Z0-9_]*)\"", source))
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read

    # when
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))

    # then
    assert sorted(read - documented) == []
