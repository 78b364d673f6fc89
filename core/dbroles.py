"""The two database roles: the owner of the schema and the role the application runs as.

The owner (the "owner" connection, DATABASE_MIGRATE_URL) runs migrations and
owns every table. The runtime role (the "default" connection, DATABASE_URL)
gets, after every `migrate`, SELECT on everything and per table the rights its
model declares in `RUNTIME_PRIVILEGES` (SELECT, INSERT, UPDATE and DELETE when
it declares none). Append-only tables such as the audit trail's declare
fewer, so the runtime role cannot rewrite them whatever it sends, and it can
never alter a table, disable or replace a trigger, or truncate.

Core knows no app: the tables come from the model registry.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db import connections, transaction

FULL_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE")
# Rights that let a role change a table's rows or its triggers wholesale.
DANGEROUS_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "INSERT", "REFERENCES")


@dataclass(frozen=True)
class RoleNames:
    owner: str
    runtime: str

    @property
    def distinct(self) -> bool:
        return self.owner != self.runtime


def role_names(*, owner_alias: str = "owner", runtime_alias: str = "default") -> RoleNames:
    """The PostgreSQL user names of the two connections (the same when only one is set)."""
    return RoleNames(
        owner=connections[owner_alias].settings_dict["USER"] or "",
        runtime=connections[runtime_alias].settings_dict["USER"] or "",
    )


def table_privileges() -> dict[str, tuple[str, ...]]:
    """Each managed table and the rights the runtime role gets on it."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy:
            continue
        tables[meta.db_table] = tuple(getattr(model, "RUNTIME_PRIVILEGES", FULL_PRIVILEGES))
    return tables


def restricted_tables() -> dict[str, tuple[str, ...]]:
    """The tables whose runtime rights are less than full: the append-only ones."""
    return {
        table: rights for table, rights in table_privileges().items() if rights != FULL_PRIVILEGES
    }


def _quote(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def grant_runtime(*, owner_alias: str = "owner", runtime_alias: str = "default") -> str | None:
    """Give the runtime role exactly its rights on every table; return its name, or None.

    Runs as the owner, in one transaction, so that no other session ever sees
    the runtime role with more or fewer rights than these. Nothing to do on
    SQLite, or when both connections are the same role (the demo).
    """
    connection = connections[owner_alias]
    names = role_names(owner_alias=owner_alias, runtime_alias=runtime_alias)
    if connection.vendor != "postgresql" or not names.runtime or not names.distinct:
        return None
    runtime = _quote(connection, names.runtime)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = _quote(connection, cursor.fetchone()[0])
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {runtime}",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {runtime}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {runtime}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {runtime}",
    ]
    for table, rights in sorted(table_privileges().items()):
        statements.append(
            f"GRANT {', '.join(rights)} ON {schema}.{_quote(connection, table)} TO {runtime}"
        )
    with transaction.atomic(using=owner_alias), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return names.runtime


def runtime_problems(*, runtime_alias: str = "default") -> list[str]:
    """What lets the runtime role around the append-only tables; empty when nothing does.

    Checked on the runtime connection itself: that the role is not a superuser
    and cannot bypass row security or replication triggers, that it neither
    owns nor belongs to the owner of an append-only table, that it holds no
    right there beyond those declared, and that every trigger on those tables
    is enabled and reads no session setting (a setting anyone may change).
    """
    connection = connections[runtime_alias]
    if connection.vendor != "postgresql":
        return []
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
        user, superuser, bypassrls = cursor.fetchone()
        if superuser:
            problems.append(f"the runtime role {user} is a superuser")
        if bypassrls:
            problems.append(f"the runtime role {user} bypasses row-level security")
        if connection.pg_version >= 150000:
            cursor.execute(
                "SELECT has_parameter_privilege(current_user, 'session_replication_role', 'SET')"
            )
            if cursor.fetchone()[0] and not superuser:
                problems.append(
                    f"the runtime role {user} may set session_replication_role (disables triggers)"
                )
        for table, rights in sorted(restricted_tables().items()):
            problems += _table_problems(cursor, user, table, rights)
    return problems


def _table_problems(cursor, user: str, table: str, rights: tuple[str, ...]) -> list[str]:
    cursor.execute(
        "SELECT pg_get_userbyid(relowner), pg_has_role(current_user, relowner, 'MEMBER') "
        "FROM pg_class WHERE oid = to_regclass(%s)",
        [table],
    )
    row = cursor.fetchone()
    if row is None:
        return [f"the table {table} does not exist (run migrate)"]
    owner, member = row
    problems = []
    if member:
        problems.append(f"the runtime role {user} owns {table} (or is a member of {owner})")
    for privilege in DANGEROUS_PRIVILEGES:
        if privilege in rights:
            continue
        cursor.execute("SELECT has_table_privilege(current_user, %s, %s)", [table, privilege])
        if cursor.fetchone()[0]:
            problems.append(f"the runtime role {user} holds {privilege} on {table}")
    cursor.execute(
        "SELECT t.tgname, t.tgenabled, p.prosrc FROM pg_trigger t "
        "JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE t.tgrelid = to_regclass(%s) AND NOT t.tgisinternal ORDER BY t.tgname",
        [table],
    )
    triggers = cursor.fetchall()
    if not triggers:
        problems.append(f"{table} has no trigger guarding it")
    for name, enabled, source in triggers:
        if enabled == "D":
            problems.append(f"the trigger {name} on {table} is disabled")
        if "current_setting" in source:
            problems.append(f"the trigger {name} on {table} can be bypassed by a session setting")
    return problems


def refuse_unsafe_runtime_role() -> None:
    """Stop a process from starting when its role could rewrite the append-only tables.

    Called by the WSGI/ASGI applications and the Celery worker at start-up
    when PANJERE_REQUIRE_LEAST_PRIVILEGE is on (production's default).
    """
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    if not settings.PANJERE_REQUIRE_LEAST_PRIVILEGE:
        return
    problems = runtime_problems()
    connections["default"].close()
    if problems:
        raise ImproperlyConfigured(
            "The database role of DATABASE_URL could rewrite the audit trail: "
            + "; ".join(problems)
            + ". Run `manage.py migrate` as the owner (DATABASE_MIGRATE_URL) and connect as "
            "the runtime role (docs/deployment.md)."
        )
