"""`manage.py migrate`, as the owner of the schema, then the runtime role's rights.

Django's own command, with two differences: it connects as the owner (the
"owner" database alias, DATABASE_MIGRATE_URL) unless told otherwise, and when
it is done it grants the runtime role (DATABASE_URL) exactly the rights each
table declares (`core.dbroles.grant_runtime`), so that a new table is never
left writable, or unreadable, by the application.
"""

from django.core.management.commands.migrate import Command as DjangoMigrateCommand

from core.dbroles import grant_runtime


class Command(DjangoMigrateCommand):
    help = (
        "Apply migrations as the owner of the schema (DATABASE_MIGRATE_URL), then grant the "
        "runtime role (DATABASE_URL) its rights on every table."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(database="owner")

    def handle(self, *args, **options):
        super().handle(*args, **options)
        if options["database"] != "owner":
            return
        runtime = grant_runtime()
        if runtime and options["verbosity"] >= 1:
            self.stdout.write(f"Granted the runtime role {runtime} its rights on every table.")
