"""Verify an exported audit trail against signed checkpoints, one record at a time.

The export is read as a stream: JSON Lines in constant memory (the hash of
the last event and the Merkle frontier, O(log n) hashes), or the older JSON
array, which is parsed whole. Each record must be well formed, carry the
next sequence number, link to the previous event's hash and hash to its own
`hash`; after the N-th event the Merkle root of events 1..N must equal the
root of every checkpoint of size N. The first inconsistency is reported with
its sequence number.
"""

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from .events import GENESIS_HASH, MalformedRecord, canonical_body
from .inputs import loads
from .jcs import MAX_SAFE_INTEGER
from .merkle import Tree
from .reports import Failure, Report, UnusableInput
from .signatures import Checkpoint, KeySet, check_signature, load_checkpoint, load_keys

TrailSource = str | os.PathLike | Iterable[str | bytes | Mapping]


class _NotJson(NamedTuple):
    """A line of the export that is not JSON, and why."""

    reason: str


def verify_trail(
    source: TrailSource,
    checkpoints: Sequence[Checkpoint | Mapping | str | os.PathLike],
    keys: KeySet | Mapping | str | os.PathLike,
) -> Report:
    """Verify the checkpoints' signatures, then the export's records against each checkpoint.

    `source` is a file (JSON Lines or a JSON array of records) or an iterable
    of JSON Lines or of parsed records. Raises UnusableInput for input that
    cannot be checked at all.
    """
    key_set = load_keys(keys)
    loaded = [load_checkpoint(checkpoint) for checkpoint in checkpoints]
    try:
        for checkpoint in loaded:
            check_signature(checkpoint, key_set)
            if checkpoint.log != loaded[0].log:
                raise Failure(
                    "wrong_log",
                    f"{loaded[0].label} is of the log {loaded[0].log!r}, "
                    f"{checkpoint.label} of the log {checkpoint.log!r}",
                )
    except Failure as failure:
        return Report.failed(failure)
    walk = _Walk(sorted(loaded, key=lambda checkpoint: checkpoint.size))
    try:
        walk.run(_values(source))
    except Failure as failure:
        return Report.failed(failure, events=walk.tree.size)
    return Report(True, walk.summary(), events=walk.tree.size)


class _Walk:
    """The state of one pass over the export: constant size whatever its length."""

    def __init__(self, checkpoints: list[Checkpoint]) -> None:
        self.checkpoints = checkpoints
        self.pending = 0  # index of the first checkpoint not yet reached
        self.tree = Tree()
        self.last_hash = GENESIS_HASH
        self.last_digest = bytes.fromhex(GENESIS_HASH)

    def run(self, values: Iterator[object | _NotJson]) -> None:
        self._check_checkpoints()  # those of size 0
        for value in values:
            expected = self.tree.size + 1
            if isinstance(value, _NotJson):
                raise Failure("malformed", value.reason, expected)
            seq = _seq(value)
            if seq is not None and seq != expected:
                self._misplaced(seq, expected, values)
            try:
                body = canonical_body(value)
            except MalformedRecord as error:
                raise Failure("malformed", str(error), expected) from None
            self._append(value, body)
        if self.pending < len(self.checkpoints):
            checkpoint = self.checkpoints[self.pending]
            raise Failure(
                "truncated",
                f"the export ends after event {self.tree.size}, but {checkpoint.label} "
                f"covers events 1..{checkpoint.size}",
                self.tree.size + 1,
            )

    def _append(self, record: Mapping, body: bytes) -> None:
        seq = record["seq"]
        if record["prev_hash"] != self.last_hash:
            before = "the genesis hash (64 zeros)" if seq == 1 else f"the hash of event {seq - 1}"
            raise Failure(
                "relinked",
                f"its prev_hash is not {before}: an event before it was changed, "
                "removed or reordered",
                seq,
            )
        event = hashlib.sha256(self.last_digest)
        event.update(body)
        digest = event.digest()
        if digest.hex() != record["hash"]:
            raise Failure("altered", "the event's content does not match its hash", seq)
        leaf = hashlib.sha256(b"\x00")  # the leaf input is the hash, then the body
        leaf.update(digest)
        leaf.update(body)
        self.tree.append(leaf.digest())
        self.last_hash, self.last_digest = record["hash"], digest
        self._check_checkpoints()

    def _check_checkpoints(self) -> None:
        """Compare the root with every checkpoint of the tree's current size."""
        while self.pending < len(self.checkpoints):
            checkpoint = self.checkpoints[self.pending]
            if checkpoint.size != self.tree.size:
                return
            if checkpoint.root_hash != self.tree.root():
                size = checkpoint.size
                raise Failure(
                    "root_mismatch",
                    f"events 1..{size} do not match {checkpoint.label}: "
                    f"the first {size} events were rewritten since it was signed",
                    size,
                )
            self.pending += 1

    def _misplaced(self, seq: int, expected: int, rest: Iterator[object | _NotJson]) -> None:
        """Raise the failure of a record numbered `seq` where `expected` should be."""
        if seq < expected:
            raise Failure(
                "inserted",
                f"a second event numbered {seq}: an event was inserted or repeated",
                seq,
            )
        # Looking ahead for the expected event tells a removal from a move;
        # only sequence numbers are read, so memory stays constant.
        for later in rest:
            if _seq(later) == expected:
                raise Failure(
                    "out_of_order",
                    f"event {seq} comes where event {expected} should be; "
                    f"event {expected} comes later in the export",
                    expected,
                )
        raise Failure(
            "missing", f"event {expected} is not in the export (event {seq} follows)", expected
        )

    def summary(self) -> str:
        count = self.tree.size
        if not self.checkpoints:
            return f"{count} events, hash chain intact; no checkpoint given"
        sizes = sorted({checkpoint.size for checkpoint in self.checkpoints})
        largest = sizes[-1]
        matched = (
            f"{len(self.checkpoints)} signed checkpoint{'s' if len(self.checkpoints) > 1 else ''}"
            f" matched (size{'s' if len(sizes) > 1 else ''} {', '.join(map(str, sizes))})"
        )
        beyond = f"; events {largest + 1}..{count} are not covered by a checkpoint yet"
        return f"{count} events, hash chain intact, {matched}{beyond if count > largest else ''}"


def _seq(value: object) -> int | None:
    """Return a record's sequence number if it has a valid one."""
    seq = value.get("seq") if isinstance(value, Mapping) else None
    if isinstance(seq, int) and not isinstance(seq, bool) and 1 <= seq <= MAX_SAFE_INTEGER:
        return seq
    return None


def _values(source: TrailSource) -> Iterator[object | _NotJson]:
    """Yield each record of the export, parsed, or a description of why it is not JSON."""
    if isinstance(source, (str, os.PathLike)):
        yield from _file_values(Path(source))
        return
    for number, item in enumerate(source, start=1):
        if isinstance(item, Mapping):
            yield item
        elif not isinstance(item, (str, bytes)):
            yield _NotJson(f"item {number} is neither a line of JSON nor a record")
        elif item.strip():
            yield _parse_line(item, number)


def _file_values(path: Path) -> Iterator[object | _NotJson]:
    try:
        export = path.open("rb")
    except OSError as error:
        raise UnusableInput(f"{path}: cannot read it: {error.strerror}") from None
    with export:
        first = export.read(4096).lstrip()
        export.seek(0)
        if first.startswith(b"["):
            yield from _array_values(export.read(), path)
            return
        if first and not first.startswith(b"{"):
            raise UnusableInput(f"{path}: neither JSON Lines nor a JSON array of records")
        for number, line in enumerate(export, start=1):
            if line.strip():
                yield _parse_line(line, number)


def _array_values(data: bytes, path: Path) -> list:
    try:
        records = loads(data)
    except (ValueError, RecursionError) as error:  # also JSONDecodeError, UnicodeDecodeError
        raise UnusableInput(f"{path}: not valid JSON ({error})") from None
    if not isinstance(records, list):
        raise UnusableInput(f"{path}: neither JSON Lines nor a JSON array of records")
    return records


def _parse_line(line: str | bytes, number: int) -> object | _NotJson:
    try:
        return loads(line)
    except (ValueError, RecursionError) as error:
        return _NotJson(f"line {number} is not JSON ({error})")
