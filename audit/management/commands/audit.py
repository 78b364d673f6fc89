"""`manage.py audit verify`: re-check the whole audit trail's hash chain.

Exits 0 and prints "Audit trail intact: N events, head <hash>" when every
event matches its hash and its predecessor; exits 1 and prints "Audit trail
broken at sequence S: <reason>" on the first event that does not.
"""

from django.core.management.base import BaseCommand

from audit.verification import verify_chain


class Command(BaseCommand):
    help = "Work with the audit trail. `verify` re-checks the whole hash chain."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify", help="Re-check every event's hash and the links between them."
        )
        verify.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Events fetched from the database at a time (default 2000).",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            self.verify(chunk_size=options["chunk_size"])

    def verify(self, *, chunk_size: int):
        report = verify_chain(chunk_size=chunk_size)
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(f"Audit trail intact: {report.count} events, head {report.head}")
            )
            return
        self.stderr.write(f"Audit trail broken at sequence {report.broken_at}: {report.reason}")
        # A non-zero exit status, without Django's "CommandError:" prefix.
        raise SystemExit(1)
