"""`manage.py audit verify|checkpoint|export|erase`: operate the audit trail.

- `verify [--checkpoint FILE …]` re-checks every event's hash, the links
  between them, the Merkle tree, the chain head and every signed checkpoint,
  plus checkpoints kept outside the platform. Exits 0 and prints "Audit trail
  intact: N events, head <hash>, root <root>, K checkpoints matched"; exits 1
  and prints "Audit trail broken at sequence S: <reason>" on the first problem.
- `checkpoint` signs the tree as it stands now (the beat job does it every
  AUDIT_CHECKPOINT_SECONDS when the trail grew) and prints it as JSON.
- `export [-o FILE]` writes the whole trail as JSON Lines, the input of
  `panjere-verify trail`.
- `erase --email ADDRESS --reason TEXT` blanks a person's name and e-mail
  address on the record (a lawful erasure request); the chain still verifies.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from audit import selectors, services
from audit.verification import CheckpointCopy, verify_chain


class Command(BaseCommand):
    help = "Work with the audit trail: verify, checkpoint, export, erase."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        verify = subcommands.add_parser(
            "verify",
            help="Re-check every event's hash, the links, the Merkle tree and the checkpoints.",
        )
        verify.add_argument(
            "--chunk-size",
            type=int,
            default=2000,
            help="Events fetched from the database at a time (default 2000).",
        )
        verify.add_argument(
            "--checkpoint",
            action="append",
            default=[],
            metavar="FILE",
            help="A signed checkpoint (JSON) kept outside the platform; may be repeated.",
        )
        subcommands.add_parser("checkpoint", help="Sign the tree as it stands now.")
        export = subcommands.add_parser("export", help="Write the trail as JSON Lines.")
        export.add_argument("-o", "--output", default="-", help="A file (default: stdout).")
        erase = subcommands.add_parser("erase", help="Blank a person's name and e-mail.")
        erase.add_argument("--email", required=True)
        erase.add_argument("--reason", required=True)

    def handle(self, *args, subcommand, **options):
        getattr(self, f"do_{subcommand}")(**options)

    def do_verify(self, *, chunk_size: int, checkpoint: list[str], **options):
        copies = []
        for path in checkpoint:
            try:
                with open(path, encoding="utf-8") as file:
                    copies.append(CheckpointCopy.from_json(json.load(file)))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{path}: not a signed checkpoint ({exc})") from exc
        report = verify_chain(chunk_size=chunk_size, checkpoints=copies)
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit trail intact: {report.count} events, head {report.head}, "
                    f"root {report.root}, {report.checkpoints} checkpoints matched"
                )
            )
            return
        self.stderr.write(f"Audit trail broken at sequence {report.broken_at}: {report.reason}")
        # A non-zero exit status, without Django's "CommandError:" prefix.
        raise SystemExit(1)

    def do_checkpoint(self, **options):
        checkpoint = services.checkpoint_take()
        if checkpoint is None:
            self.stdout.write("The trail is empty: nothing to sign.")
            return
        self.stdout.write(json.dumps(CheckpointCopy.from_model(checkpoint).as_json(), indent=2))

    def do_export(self, *, output: str, **options):
        lines = selectors.export_lines(selectors.event_list())
        if output == "-":
            for line in lines:
                sys.stdout.write(line)
            return
        with open(output, "w", encoding="utf-8") as file:
            for line in lines:
                file.write(line)

    def do_erase(self, *, email: str, reason: str, **options):
        person = selectors.person_by_email(email)
        if person is None:
            raise CommandError(f"Nobody with the address {email} is on the record.")
        services.person_erase(actor=None, person=person, reason=reason)
        self.stdout.write(f"Erased the name and e-mail address of {person.pseudonym}.")
