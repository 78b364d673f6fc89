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

SITE_URL_MESSAGE = (
    "PANJERE_SITE_URL must be the site's public https:// address, e.g. https://panjere.example.org."
)

GOOD = {
    "DJANGO_SECRET_KEY": SECRET,
    "DJANGO_ALLOWED_HOSTS": "panjere.example,www.panjere.example",
    "DATABASE_URL": "postgres://panjere@db.panjere.example:5432/panjere",
    "REDIS_URL": "redis://cache.panjere.example:6379/0",
    "PANJERE_SIGNING_KEY": "q3Xw0cE3h2m9ZxkW5d8oTfYV1nBq7LrS4aJ6uPgHiCk=",
    "PANJERE_SITE_URL": "https://panjere.example",
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
print(s.DEBUG, s.SITE_URL, s.PANJERE_DEMO_DATA_ALLOWED, s.CELERY_TASK_ALWAYS_EAGER, s.ALLOWED_HOSTS,
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
            {**GOOD, "DJANGO_ALLOWED_HOSTS": "*"},
            "DJANGO_ALLOWED_HOSTS must name the site's hosts, not a wildcard such as '*'.",
        ),
        (
            {**GOOD, "DJANGO_ALLOWED_HOSTS": "panjere.example,*"},
            "DJANGO_ALLOWED_HOSTS must name the site's hosts, not a wildcard such as '*'.",
        ),
        (
            {**GOOD, "DJANGO_ALLOWED_HOSTS": "."},
            "DJANGO_ALLOWED_HOSTS must name the site's hosts, not a wildcard such as '*'.",
        ),
        (
            {**GOOD, "DJANGO_ALLOWED_HOSTS": ""},
            "DJANGO_ALLOWED_HOSTS must name the site's hosts, not a wildcard such as '*'.",
        ),
        (
            without("PANJERE_SITE_URL"),
            "Set the PANJERE_SITE_URL environment variable",
        ),
        (
            {**GOOD, "PANJERE_SITE_URL": "http://127.0.0.1:8000"},
            SITE_URL_MESSAGE,
        ),
        (
            {**GOOD, "PANJERE_SITE_URL": "http://panjere.example"},
            SITE_URL_MESSAGE,
        ),
        (
            {**GOOD, "PANJERE_SITE_URL": "https://localhost:8443"},
            SITE_URL_MESSAGE,
        ),
        (
            {**GOOD, "PANJERE_SITE_URL": "panjere.example"},
            SITE_URL_MESSAGE,
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
        "allowed-hosts-wildcard",
        "allowed-hosts-with-a-wildcard",
        "allowed-hosts-dot",
        "allowed-hosts-empty",
        "site-url-missing",
        "site-url-demo-default",
        "site-url-plain-http",
        "site-url-localhost",
        "site-url-without-scheme",
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
        "https://panjere.example",  # SITE_URL
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


# --- Entry points: a deployment that forgets DJANGO_SETTINGS_MODULE gets production --------

ENTRY_POINT = """
import os
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)  # ignore any .env
from django.core.exceptions import ImproperlyConfigured
try:
    {load}
except ImproperlyConfigured as error:
    print(os.environ["DJANGO_SETTINGS_MODULE"], f"ImproperlyConfigured: {{error}}")
    raise SystemExit(3)
from django.conf import settings
print(os.environ["DJANGO_SETTINGS_MODULE"], settings.DEBUG, settings.SECRET_KEY[:12])
"""

LOADS = {
    "wsgi": "import config.wsgi",
    "asgi": "import config.asgi",
    # Celery reads the settings when a worker or beat first reads its configuration.
    "celery": "from config.celery import app; app.conf.broker_url",
}


@pytest.mark.parametrize("entry_point", sorted(LOADS))
def test_entry_points_without_a_settings_module_refuse_to_start(entry_point):
    # when a process starts with no DJANGO_SETTINGS_MODULE and no secrets
    result = run(ENTRY_POINT.format(load=LOADS[entry_point]), {})

    # then it chose the production settings, which refuse: no demo key, no DEBUG
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == (
        "config.settings.production ImproperlyConfigured: "
        "Set the DJANGO_SECRET_KEY environment variable"
    )


@pytest.mark.parametrize("entry_point", sorted(LOADS))
def test_entry_points_with_a_complete_production_environment_start(entry_point):
    # when a process starts with the production variables but no settings module (and no
    # database to check its role against: tests/audit/test_database_roles.py does that)
    environment = {**GOOD, "PANJERE_REQUIRE_LEAST_PRIVILEGE": "False"}
    result = run(ENTRY_POINT.format(load=LOADS[entry_point]), environment)

    # then it runs with the production settings
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False", SECRET[:12]]


@pytest.mark.parametrize("entry_point", sorted(LOADS))
def test_the_demo_still_starts_when_it_names_its_settings(entry_point):
    # when the demo names its settings, as `make run`, `make worker` and `make beat` do
    environment = {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    result = run(ENTRY_POINT.format(load=LOADS[entry_point]), environment)

    # then it starts, with the public demo key, and DEBUG off (users' error pages, not
    # Django's debug page)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.local", "False", DEMO_SECRET_KEY[:12]]


def test_manage_py_without_a_settings_module_refuses_to_run():
    # when an operator runs a command and forgets DJANGO_SETTINGS_MODULE
    result = run("", {}, "manage.py", "check")

    # then it refuses: the production settings want their secrets
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "django.core.exceptions.ImproperlyConfigured: "
        "Set the DJANGO_SECRET_KEY environment variable"
    )


def test_the_makefile_runs_the_demo_with_its_own_settings():
    # when make shows the commands of the demo's targets
    result = subprocess.run(
        ["make", "-n", "-B", "run", "worker", "beat", "messages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then every Django or Celery command names the demo's settings
    assert result.returncode == 0, result.stderr
    commands = [
        line for line in result.stdout.splitlines() if "manage.py" in line or "celery -A" in line
    ]
    assert len(commands) == 7
    for line in commands:
        assert line.startswith("DJANGO_SETTINGS_MODULE=config.settings.local "), line
