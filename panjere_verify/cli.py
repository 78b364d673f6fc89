"""The panjere-verify command.

Exit status: 0 when everything checked out ("OK: …"), 1 when a check failed
("FAILED [at sequence S]: <reason code>: …"), 2 when an input could not be
used at all (a missing file, JSON that does not parse, a document not in its
format), with the reason on standard error.
"""

import argparse
import sys
from collections.abc import Sequence

from .proofs import verify_checkpoint, verify_consistency_proof, verify_inclusion_proof
from .reports import Report, UnusableInput
from .trail import verify_trail

OK, FAILED, UNUSABLE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="panjere-verify",
        description="Check Panjere's audit trail, its signed checkpoints and proofs.",
        epilog="Exit status: 0 verified, 1 a check failed, 2 an input is unusable.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    keys = {"metavar": "KEYS.json", "required": True, "help": "the log's key set, or - for stdin"}

    trail = commands.add_parser("trail", help="verify an exported trail against checkpoints")
    trail.add_argument("export", metavar="EXPORT", help="the export: JSON Lines or a JSON array")
    trail.add_argument(
        "--checkpoint", metavar="CP.json", action="append", required=True, dest="checkpoints"
    )
    trail.add_argument("--keys", **keys)

    inclusion = commands.add_parser("inclusion", help="verify that an event is in the log")
    inclusion.add_argument("proof", metavar="PROOF.json")
    inclusion.add_argument("--checkpoint", metavar="CP.json", required=True)
    inclusion.add_argument("--keys", **keys)
    inclusion.add_argument(
        "--event", metavar="RECORD.json", help="the exported event the proof is about"
    )

    consistency = commands.add_parser("consistency", help="verify that the log only grew")
    consistency.add_argument("proof", metavar="PROOF.json")
    consistency.add_argument("--old", metavar="CP1.json", required=True)
    consistency.add_argument("--new", metavar="CP2.json", required=True)
    consistency.add_argument("--keys", **keys)

    checkpoint = commands.add_parser("checkpoint", help="verify a checkpoint's signature")
    checkpoint.add_argument("checkpoint", metavar="CP.json")
    checkpoint.add_argument("--keys", **keys)
    return parser


def _run(arguments: argparse.Namespace) -> Report:
    if arguments.command == "trail":
        return verify_trail(arguments.export, arguments.checkpoints, arguments.keys)
    if arguments.command == "inclusion":
        return verify_inclusion_proof(
            arguments.proof, arguments.checkpoint, arguments.keys, arguments.event
        )
    if arguments.command == "consistency":
        return verify_consistency_proof(
            arguments.proof, arguments.old, arguments.new, arguments.keys
        )
    return verify_checkpoint(arguments.checkpoint, arguments.keys)


def main(argv: Sequence[str] | None = None) -> int:
    """Run panjere-verify with `argv` (default: the command line); return its exit status."""
    arguments = _parser().parse_args(argv)
    try:
        report = _run(arguments)
    except UnusableInput as error:
        print(f"panjere-verify: unusable input: {error}", file=sys.stderr)
        return UNUSABLE
    print(report.line)
    return OK if report.ok else FAILED
