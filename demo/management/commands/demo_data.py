"""`manage.py demo_data`: the demo's accounts, suppliers and tenders, floor by floor.

Each app's `demo.py` loads its part, through the app's own services where an
actor exists: the accounts first (organisations, one account per role), then
the suppliers in every state of verification, then the tenders. Idempotent:
each part creates what is missing and never changes what exists. Refused where
settings.PANJERE_DEMO_DATA_ALLOWED is False (always in production): the accounts'
passwords and TOTP secrets are public.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import load_demo_accounts, print_demo_accounts
from suppliers.demo import load_demo_suppliers
from tenders.demo import load_demo_tenders


class Command(BaseCommand):
    help = (
        "Load the demo organisations and one account per role, with fixed passwords and "
        "TOTP secrets. Idempotent. Refused where PANJERE_DEMO_DATA_ALLOWED is False."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--accounts-only",
            action="store_true",
            help="Load only the organisations and accounts, not the demo suppliers.",
        )

    def handle(self, *args, **options):
        if not settings.PANJERE_DEMO_DATA_ALLOWED:
            raise CommandError(
                "Demo data is not allowed here (PANJERE_DEMO_DATA_ALLOWED is False). It creates "
                "accounts whose passwords and TOTP secrets are public, so a real deployment "
                "must never load it."
            )
        # Each step is a service with its own durable transaction; a load cut short
        # is completed by the next run, which adds only what is missing.
        created = load_demo_accounts()
        if options["verbosity"] >= 1:
            print_demo_accounts(self.stdout, self.style, created)
        if options["accounts_only"]:
            return
        out = self.stdout if options["verbosity"] >= 1 else None
        # Suppliers in every state of verification, brought there through the
        # suppliers' own services by the demo officer and oversight admin.
        load_demo_suppliers(stdout=out)
        # Tenders in each state the tender work covers, by the demo buyer's people.
        load_demo_tenders(stdout=out)
