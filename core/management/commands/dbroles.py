"""`manage.py dbroles create|grant|check`: the owner and the runtime role of the database.

- `create --admin-url postgres://postgres@host/postgres` makes the two roles
  named by DATABASE_MIGRATE_URL (the owner, allowed to create databases, for
  the test suite) and DATABASE_URL (the runtime role), with the passwords those
  URLs carry, and the database owned by the owner, where they do not exist yet.
  Run it once per server, as a PostgreSQL superuser.
- `grant` gives the runtime role its rights (what `migrate` does at its end).
- `check` exits 1 and lists the problems when the runtime role could get
  around the append-only tables (owns one, holds UPDATE, DELETE, TRUNCATE or
  TRIGGER on one, is a superuser, may disable triggers); production refuses
  to start in that case too.
"""

import psycopg
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from psycopg import sql

from core.dbroles import grant_runtime, role_names, runtime_problems


class Command(BaseCommand):
    help = "Create, grant or check the database's owner and runtime roles."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        create = subcommands.add_parser("create", help="Create the two roles and the database.")
        create.add_argument(
            "--admin-url",
            required=True,
            help="A PostgreSQL superuser's URL, e.g. postgres://postgres@127.0.0.1:5432/postgres.",
        )
        subcommands.add_parser("grant", help="Give the runtime role its rights on every table.")
        subcommands.add_parser("check", help="Refuse a runtime role that could rewrite the trail.")

    def handle(self, *args, subcommand, **options):
        getattr(self, f"do_{subcommand}")(**options)

    def do_create(self, *, admin_url, **options):
        owner = connections["owner"].settings_dict
        runtime = connections["default"].settings_dict
        names = role_names()
        if connections["default"].vendor != "postgresql" or not names.distinct:
            raise CommandError(
                "Set DATABASE_URL (the runtime role) and DATABASE_MIGRATE_URL (the owner) to "
                "two different PostgreSQL roles first."
            )
        with psycopg.connect(admin_url, autocommit=True) as admin:
            self._role(admin, owner["USER"], owner["PASSWORD"], createdb=True)
            self._role(admin, runtime["USER"], runtime["PASSWORD"], createdb=False)
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [owner["NAME"]]
            ).fetchone()
            if not exists:
                admin.execute(
                    sql.SQL("CREATE DATABASE {} OWNER {}").format(
                        sql.Identifier(owner["NAME"]), sql.Identifier(owner["USER"])
                    )
                )
                self.stdout.write(f"Created the database {owner['NAME']}.")

    def _role(self, admin, name: str, password: str, *, createdb: bool) -> None:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        if exists:
            self.stdout.write(f"The role {name} exists.")
            return
        statement = sql.SQL("CREATE ROLE {} LOGIN {}").format(
            sql.Identifier(name), sql.SQL("CREATEDB" if createdb else "NOCREATEDB")
        )
        if password:
            statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
        admin.execute(statement)
        self.stdout.write(f"Created the role {name}.")

    def do_grant(self, **options):
        runtime = grant_runtime()
        if runtime is None:
            self.stdout.write("Nothing to grant: one role only, or not PostgreSQL.")
        else:
            self.stdout.write(f"Granted the runtime role {runtime} its rights on every table.")

    def do_check(self, **options):
        problems = runtime_problems()
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("The runtime role cannot rewrite the audit trail."))
