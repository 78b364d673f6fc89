"""The runtime role holds exactly its rights; production refuses one that could rewrite history."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections

from core import dbroles

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.dbroles
def test_the_runtime_role_of_the_test_suite_cannot_rewrite_the_trail():
    assert dbroles.runtime_problems() == []
    out = io.StringIO()
    call_command("dbroles", "check", stdout=out)
    assert out.getvalue() == "The runtime role cannot rewrite the audit trail.\n"


@pytest.mark.dbroles
def test_the_runtime_role_holds_each_tables_declared_rights_and_no_more():
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
            "FROM information_schema.role_table_grants WHERE grantee = current_user "
            "AND table_name LIKE 'audit_%%' GROUP BY table_name ORDER BY table_name"
        )
        tables = dict(cursor.fetchall())
        cursor.execute(
            "SELECT privilege_type FROM information_schema.column_privileges "
            "WHERE grantee = current_user AND table_name = 'audit_chainhead' "
            "AND privilege_type = 'UPDATE' ORDER BY column_name"
        )
        head_columns = [row[0] for row in cursor.fetchall()]
    assert tables == {
        "audit_chainhead": "SELECT",
        "audit_checkpoint": "INSERT,SELECT",
        "audit_event": "INSERT,SELECT",
        "audit_merklenode": "INSERT,SELECT",
        "audit_person": "INSERT,SELECT,UPDATE",
    }
    assert head_columns == ["UPDATE"]  # the frontier, and nothing else


@pytest.mark.dbroles
@pytest.mark.django_db(databases=["default", "owner"])
def test_the_owner_as_runtime_role_is_named_for_every_table_it_could_rewrite():
    # as if the application connected with the owner's credentials
    problems = dbroles.runtime_problems(runtime_alias="owner")

    owner = connections["owner"].settings_dict["USER"]
    for table in ("audit_event", "audit_chainhead", "audit_merklenode", "audit_checkpoint"):
        assert f"the runtime role {owner} owns {table} (or is a member of {owner})" in problems
        assert f"the runtime role {owner} holds TRUNCATE on {table}" in problems


def test_production_refuses_to_start_with_such_a_role(settings, monkeypatch):
    settings.PANJERE_REQUIRE_LEAST_PRIVILEGE = True
    monkeypatch.setattr(
        dbroles, "runtime_problems", lambda: ["the runtime role app owns audit_event"]
    )

    with pytest.raises(ImproperlyConfigured) as refused:
        dbroles.refuse_unsafe_runtime_role()

    assert str(refused.value).startswith(
        "The database role of DATABASE_URL could rewrite the audit trail: the runtime role app "
        "owns audit_event. Run `manage.py migrate` as the owner"
    )


def test_the_demo_does_not_check(settings, monkeypatch):
    settings.PANJERE_REQUIRE_LEAST_PRIVILEGE = False
    monkeypatch.setattr(dbroles, "runtime_problems", lambda: ["anything"])

    assert dbroles.refuse_unsafe_runtime_role() is None


def test_dbroles_check_exits_1_and_lists_the_problems(monkeypatch):
    monkeypatch.setattr(
        "core.management.commands.dbroles.runtime_problems",
        lambda: ["the runtime role app holds UPDATE on audit_event"],
    )
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_:
        call_command("dbroles", "check", stderr=err)

    assert exit_.value.code == 1
    assert err.getvalue() == "- the runtime role app holds UPDATE on audit_event\n"


WSGI = """
import environ
environ.Env.read_env = classmethod(lambda cls, *args, **kwargs: None)  # ignore any .env
from django.core.exceptions import ImproperlyConfigured
try:
    import config.wsgi
except ImproperlyConfigured as error:
    print(f"ImproperlyConfigured: {error}")
    raise SystemExit(3)
print("started")
"""


def _production_wsgi(alias: str) -> subprocess.CompletedProcess:
    """Start the WSGI application with production settings, connected as `alias`'s role."""
    database = connections[alias].settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SECRET_KEY": "k3y-" + "x7Q9" * 15,
        "DJANGO_ALLOWED_HOSTS": "panjere.example",
        "PANJERE_SITE_URL": "https://panjere.example",
        "PANJERE_SIGNING_KEY": "q3Xw0cE3h2m9ZxkW5d8oTfYV1nBq7LrS4aJ6uPgHiCk=",
        "DATABASE_URL": url,
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    return subprocess.run(
        [sys.executable, "-c", WSGI],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.dbroles
def test_production_serves_as_the_runtime_role_and_refuses_the_owners():
    # when the production web application starts as the runtime role, it serves
    started = _production_wsgi("default")
    assert (started.returncode, started.stdout.strip()) == (0, "started"), started.stderr

    # and when it is given the owner's credentials instead, it refuses to start
    refused = _production_wsgi("owner")
    owner = connections["owner"].settings_dict["USER"]
    assert refused.returncode == 3, refused.stderr
    assert refused.stdout.startswith(
        "ImproperlyConfigured: The database role of DATABASE_URL could rewrite the audit trail: "
        f"the runtime role {owner} owns audit_chainhead (or is a member of {owner})"
    )
