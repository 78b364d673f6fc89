"""The `panjere` command: the offline half of sealed bids, on the user's own machine.

    panjere key create --out member.key         a committee member's key pair and file
    panjere key passphrase member.key           the same key under a new passphrase
    panjere key show member.key                 its public key and fingerprint
    panjere share open SHARE.json --key member.key
                                                a member opens their share of a tender key
    panjere seal --tender-key PUB --kind KIND --context ctx.json --out env.bin FILE…
                                                a supplier seals files into an envelope
    panjere inspect env.bin                     an envelope's header, size and hash (no key)
    panjere receipt verify receipt.json --keys keys.json [--envelope env.bin]
    panjere open --private-key KEY env.bin --out DIR
                                                FOR TESTS AND INTEROPERABILITY ONLY

With the platform (`panjere_client.network`; --platform URL, a personal API
token from --token-file or PANJERE_TOKEN):

    panjere bid submit env.bin… --receipt-out receipt.json [--keys keys.json]
                                                submit a bid's envelopes; keep the verified receipt
    panjere bid withdraw BID                    withdraw a bid before the deadline
    panjere receipt fetch BID --out receipt.json
                                                download a bid's receipt, verified

Exit status: 0 done, 1 refused (a receipt or envelope that does not check
out, a wrong passphrase), 2 unusable input (a missing file, bad arguments).
"""

import argparse
import getpass
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from . import bundle, envelope, member_keys, receipts, shares
from .encoding import EncodingError, b64decode, b64encode, loads
from .errors import PanjereClientError
from .keys import fingerprint

OK, REFUSED, UNUSABLE = 0, 1, 2


class Unusable(Exception):
    """An input the command cannot use at all."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="panjere",
        description="Seal bids, keep a committee member's key, verify receipts: offline.",
        epilog="Exit status: 0 done, 1 refused, 2 unusable input. Formats: docs/sealing.md.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    key = commands.add_parser("key", help="a committee member's key file")
    key_commands = key.add_subparsers(dest="key_command", required=True, metavar="ACTION")
    create = key_commands.add_parser("create", help="make a key pair and its key file")
    create.add_argument("--out", required=True, metavar="member.key")
    create.add_argument("--passphrase-file", metavar="FILE", help="read the passphrase here")
    change = key_commands.add_parser("passphrase", help="change the key file's passphrase")
    change.add_argument("key_file", metavar="member.key")
    change.add_argument("--passphrase-file", metavar="FILE", help="the current passphrase")
    change.add_argument("--new-passphrase-file", metavar="FILE", help="the new passphrase")
    show = key_commands.add_parser("show", help="print the public key and its fingerprint")
    show.add_argument("key_file", metavar="member.key")

    share = commands.add_parser("share", help="a tender key share sealed to a member")
    share_commands = share.add_subparsers(dest="share_command", required=True, metavar="ACTION")
    share_open = share_commands.add_parser("open", help="open a share with the member's key")
    share_open.add_argument("share_file", metavar="SHARE.json")
    share_open.add_argument("--key", required=True, metavar="member.key")
    share_open.add_argument("--passphrase-file", metavar="FILE")

    seal = commands.add_parser("seal", help="seal files into an envelope")
    seal.add_argument("files", nargs="+", metavar="FILE")
    seal.add_argument(
        "--tender-key",
        required=True,
        metavar="PUB",
        help="the tender key: a file (base64, or the notice's JSON) or base64",
    )
    seal.add_argument("--kind", required=True, choices=envelope.KINDS)
    seal.add_argument(
        "--context",
        required=True,
        metavar="ctx.json",
        help='{"tender", "lot", "supplier", "bid_version"}',
    )
    seal.add_argument("--out", required=True, metavar="env.bin")
    seal.add_argument(
        "--confidential",
        action="append",
        default=[],
        metavar="NAME",
        help="mark the file NAME confidential (repeatable)",
    )
    seal.add_argument("--chunk-size", type=int, default=envelope.DEFAULT_CHUNK_SIZE)

    inspect = commands.add_parser("inspect", help="check an envelope's framing, without a key")
    inspect.add_argument("envelope_file", metavar="env.bin")

    receipt = commands.add_parser("receipt", help="the platform's receipt of a submission")
    receipt_commands = receipt.add_subparsers(
        dest="receipt_command", required=True, metavar="ACTION"
    )
    verify = receipt_commands.add_parser("verify", help="verify a receipt's signature")
    verify.add_argument("receipt_file", metavar="receipt.json")
    verify.add_argument("--keys", required=True, metavar="keys.json")
    verify.add_argument(
        "--envelope",
        action="append",
        default=[],
        metavar="env.bin",
        help="also check that the receipt lists this envelope (repeatable)",
    )

    fetch = receipt_commands.add_parser("fetch", help="download a bid's receipt, verified")
    fetch.add_argument("bid")
    fetch.add_argument("--out", required=True, metavar="receipt.json")
    _platform_arguments(fetch)

    bid = commands.add_parser("bid", help="submit or withdraw a bid on the platform")
    bid_commands = bid.add_subparsers(dest="bid_command", required=True, metavar="ACTION")
    submit = bid_commands.add_parser("submit", help="submit a bid's sealed envelopes")
    submit.add_argument("envelope_files", nargs="+", metavar="env.bin")
    submit.add_argument("--receipt-out", required=True, metavar="receipt.json")
    submit.add_argument("--supplier", help="the supplier's id (default: the envelopes')")
    submit.add_argument(
        "--idempotency-key", help="default: made from the envelopes' hashes (a rerun is a retry)"
    )
    _platform_arguments(submit)
    withdraw = bid_commands.add_parser("withdraw", help="withdraw a bid before the deadline")
    withdraw.add_argument("bid")
    _platform_arguments(withdraw)

    open_ = commands.add_parser(
        "open", help="FOR TESTS AND INTEROPERABILITY ONLY: open an envelope with a tender key"
    )
    open_.add_argument("envelope_file", metavar="env.bin")
    open_.add_argument(
        "--private-key",
        required=True,
        metavar="KEY",
        help="a file holding the tender private key in base64",
    )
    open_.add_argument("--out", required=True, metavar="DIR", help="a folder not there yet")
    return parser


def _platform_arguments(parser) -> None:
    parser.add_argument("--platform", required=True, metavar="URL", help="e.g. https://panjere.ir")
    parser.add_argument("--token-file", metavar="FILE", help="default: $PANJERE_TOKEN")
    parser.add_argument(
        "--keys", metavar="keys.json", help="the platform's key set, pinned (default: fetched)"
    )


# --- inputs --------------------------------------------------------------------------


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise Unusable(f"{path}: {error.strerror or error}") from None


def _json(path: str) -> object:
    try:
        return loads(_read(path))
    except EncodingError as error:
        raise Unusable(f"{path}: {error}") from None


def _passphrase_from(path: str) -> str:
    text = _read(path).decode("utf-8", "strict")
    return text.splitlines()[0] if text else ""


def _ask(prompt: str, *, twice: bool = False) -> str:
    first = getpass.getpass(prompt)
    if twice and getpass.getpass("Again: ") != first:
        raise Unusable("the two passphrases differ")
    return first


def _tender_key(value: str, context: envelope.Context) -> bytes:
    """The tender public key from a file (base64 or the notice's JSON) or from base64."""
    text = _read(value).decode("ascii", "replace").strip() if Path(value).is_file() else value
    if text.startswith("{"):
        try:
            document = loads(text)
        except EncodingError as error:
            raise Unusable(f"{value}: {error}") from None
        if not isinstance(document, dict) or "public_key" not in document:
            raise Unusable(f"{value}: a tender key document has 'public_key'")
        for name in ("tender", "kind"):
            if name in document and document[name] != getattr(context, name):
                raise Unusable(f"{value}: this tender key is for another {name}")
        text = document["public_key"]
        expected = document.get("fingerprint")
    else:
        expected = None
    try:
        raw = b64decode(text, size=32)
    except EncodingError as error:
        raise Unusable(f"the tender key: {error}") from None
    if expected is not None and fingerprint(raw) != expected:
        raise Unusable("the tender key does not match its fingerprint")
    return raw


def _context(path: str, kind: str) -> envelope.Context:
    document = _json(path)
    if not isinstance(document, dict):
        raise Unusable(f"{path}: a context is a JSON object")
    if document.setdefault("kind", kind) != kind:
        raise Unusable(f"{path}: the context's kind is not {kind}")
    try:
        return envelope.Context.from_json(document)
    except ValueError as error:
        raise Unusable(f"{path}: {error}") from None


def _atomic_output(path: Path):
    """A temporary file beside `path`, renamed onto it on success, removed otherwise."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    return os.fdopen(descriptor, "wb"), Path(temporary)


# --- commands ------------------------------------------------------------------------


def _key_create(args) -> int:
    out = Path(args.out)
    if out.exists():
        raise Unusable(f"{out} exists: not replaced")
    if args.passphrase_file:
        passphrase = _passphrase_from(args.passphrase_file)
    else:
        passphrase = _ask("New passphrase: ", twice=True)
    key_file, _ = member_keys.create(passphrase)
    member_keys.write_key_file(out, key_file)
    print(f"Created {out}")
    print(f"public key:  {b64encode(key_file.public_key)}")
    print(f"fingerprint: {key_file.fingerprint}")
    return OK


def _load_key_file(path: str) -> member_keys.MemberKeyFile:
    try:
        return member_keys.MemberKeyFile.loads(_read(path))
    except member_keys.MalformedKeyFile as error:
        raise Unusable(f"{path}: {error}") from None


def _key_passphrase(args) -> int:
    key_file = _load_key_file(args.key_file)
    old = (
        _passphrase_from(args.passphrase_file)
        if args.passphrase_file
        else _ask("Current passphrase: ")
    )
    member_keys.unlock(key_file, old)  # a wrong passphrase stops here, before asking more
    new = (
        _passphrase_from(args.new_passphrase_file)
        if args.new_passphrase_file
        else _ask("New passphrase: ", twice=True)
    )
    member_keys.write_key_file(args.key_file, member_keys.change_passphrase(key_file, old, new))
    print(f"Changed the passphrase of {args.key_file} (the same key, {key_file.fingerprint})")
    return OK


def _key_show(args) -> int:
    key_file = _load_key_file(args.key_file)
    print(f"public key:  {b64encode(key_file.public_key)}")
    print(f"fingerprint: {key_file.fingerprint}")
    parameters = key_file.parameters
    print(
        f"protected:   Argon2id m={parameters.memory_kib} KiB t={parameters.iterations} "
        f"p={parameters.parallelism}, AES-256-GCM"
    )
    return OK


def _share_open(args) -> int:
    document = _json(args.share_file)
    if not isinstance(document, dict) or "sealed_share" not in document:
        raise Unusable(f"{args.share_file}: a share document has 'sealed_share'")
    context = shares.ShareContext.from_json(document)
    key_file = _load_key_file(args.key)
    passphrase = (
        _passphrase_from(args.passphrase_file) if args.passphrase_file else _ask("Passphrase: ")
    )
    private_key = member_keys.unlock(key_file, passphrase)
    share = shares.open_share(document["sealed_share"], private_key=private_key, context=context)
    print(b64encode(share))
    return OK


def _seal(args) -> int:
    context = _context(args.context, args.kind)
    public_key = _tender_key(args.tender_key, context)
    files = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            raise Unusable(f"{name}: not a file")
        files.append(path)
    names = {path.name for path in files}
    unknown = set(args.confidential) - names
    if unknown:
        raise Unusable(f"--confidential names no file given: {', '.join(sorted(unknown))}")
    entries = [
        bundle.BundleFile.from_path(path, confidential=path.name in args.confidential)
        for path in files
    ]
    out = Path(args.out)
    file, temporary = _atomic_output(out)
    try:
        with file:
            sealed, manifest = bundle.seal_files(
                file, entries, public_key=public_key, context=context, chunk_size=args.chunk_size
            )
        os.replace(temporary, out)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    print(f"Sealed {len(manifest.files)} files into {out} ({sealed.size} bytes)")
    print(f"sha256:     {sealed.sha256}")
    print(f"tender key: {sealed.header.tender_key}")
    for entry in manifest.files:
        flag = " (confidential)" if entry.confidential else ""
        print(f"  {entry.name}  {entry.media_type}  {entry.size} bytes{flag}")
    return OK


def _inspect(args) -> int:
    with Path(args.envelope_file).open("rb") as file:
        summary = envelope.inspect(file)
    print(
        f"OK: {summary.header.context.kind} envelope, {summary.size} bytes, "
        f"{summary.chunks} chunks of up to {summary.header.chunk_size} bytes"
    )
    print(f"sha256:     {summary.sha256}")
    print(f"tender key: {summary.header.tender_key}")
    print(f"context:    {json.dumps(summary.header.context.to_json(), ensure_ascii=False)}")
    return OK


def _receipt_verify(args) -> int:
    try:
        key_set = receipts.KeySet.load(args.keys)
    except OSError as error:
        raise Unusable(f"{args.keys}: {error.strerror or error}") from None
    verified = receipts.verify_receipt(_read(args.receipt_file), key_set)
    for name in args.envelope:
        with Path(name).open("rb") as file:
            summary = envelope.inspect(file)
        verified.check_envelope(
            kind=summary.header.context.kind,
            sha256=summary.sha256,
            size=summary.size,
            context=summary.header.context,
        )
    lot = f" lot {verified.lot}" if verified.lot else ""
    checked = f"; {len(args.envelope)} envelopes match it" if args.envelope else ""
    print(
        f"OK: receipt of bid {verified.bid} version {verified.bid_version} of supplier "
        f"{verified.supplier} for {verified.tender}{lot}, "
        f"{len(verified.envelopes)} envelopes, received at {verified.received_at}, "
        f"audit event {verified.audit_seq}, signed by the {verified.key_status} key "
        f"{verified.key_id}{checked}"
    )
    return OK


def _open(args) -> int:
    out = Path(args.out)
    if out.exists():
        raise Unusable(f"{out} exists: give a folder that is not there yet")
    try:
        raw = b64decode(_read(args.private_key).decode("ascii", "replace").strip(), size=32)
    except EncodingError as error:
        raise Unusable(f"{args.private_key}: {error}") from None
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    try:
        with Path(args.envelope_file).open("rb") as file:
            stream = envelope.OpenStream(file, private_key=raw)
            reader = bundle.BundleReader(stream, kind=stream.header.context.kind)
            for entry_stream in reader.files():
                with (staging / entry_stream.entry.name).open("xb") as target:
                    while block := entry_stream.read(64 * 1024):
                        target.write(block)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    print(
        f"Opened {len(reader.manifest.files)} files into {out} "
        f"(for tests and interoperability only)"
    )
    return OK


def _platform(args):
    from . import network

    try:
        token = network.token_from(args.token_file)
    except (OSError, ValueError) as error:
        raise Unusable(str(error)) from None
    return network.PlatformClient(args.platform, token, key_set=args.keys)


def _write_receipt(path: str, document: dict) -> None:
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    file, temporary = _atomic_output(Path(path))
    try:
        with file:
            file.write(text.encode("utf-8"))
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _bid_submit(args) -> int:
    document = _platform(args).submit_envelopes(
        [Path(name) for name in args.envelope_files],
        supplier=args.supplier,
        idempotency_key=args.idempotency_key,
    )
    _write_receipt(args.receipt_out, document)
    kinds = ", ".join(entry["kind"] for entry in document["envelopes"])
    print(
        f"OK: bid {document['bid']} version {document['bid_version']} for {document['tender']} "
        f"lot {document['lot']} received at {document['received_at']} ({kinds}); "
        f"receipt verified and written to {args.receipt_out}"
    )
    return OK


def _bid_withdraw(args) -> int:
    answer = _platform(args).withdraw_bid(args.bid)
    print(f"OK: bid {answer['id']} is {answer['state']} (at {answer['withdrawn_at']})")
    return OK


def _receipt_fetch(args) -> int:
    document = _platform(args).fetch_receipt(args.bid)
    _write_receipt(args.out, document)
    print(f"OK: receipt of bid {document['bid']} verified and written to {args.out}")
    return OK


HANDLERS = {
    ("receipt", "fetch"): _receipt_fetch,
    ("bid", "submit"): _bid_submit,
    ("bid", "withdraw"): _bid_withdraw,
    ("key", "create"): _key_create,
    ("key", "passphrase"): _key_passphrase,
    ("key", "show"): _key_show,
    ("share", "open"): _share_open,
    ("seal", None): _seal,
    ("inspect", None): _inspect,
    ("receipt", "verify"): _receipt_verify,
    ("open", None): _open,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    action = (
        getattr(args, "key_command", None)
        or getattr(args, "share_command", None)
        or getattr(args, "receipt_command", None)
        or getattr(args, "bid_command", None)
    )
    handler = HANDLERS[(args.command, action)]
    try:
        return handler(args)
    except Unusable as error:
        print(f"panjere: unusable input: {error}", file=sys.stderr)
        return UNUSABLE
    except PanjereClientError as error:
        print(f"REFUSED: {type(error).__name__}: {error}", file=sys.stderr)
        return REFUSED
    except OSError as error:
        print(f"panjere: {error}", file=sys.stderr)
        return UNUSABLE
    except KeyboardInterrupt:
        return UNUSABLE
