"""What a verification concludes: a Report, or an input too broken to check."""

from dataclasses import dataclass

# The reasons a check fails, and what each means. Sequence numbers go with
# the reasons about one event; the others concern a checkpoint or a proof.
REASONS = {
    "malformed": "an event record is not in the export format",
    "altered": "an event's content does not match its hash",
    "missing": "an event is absent from the export",
    "out_of_order": "an event comes later in the export than its sequence number says",
    "inserted": "two events carry the same sequence number",
    "relinked": "an event's prev_hash is not the hash of the event before it",
    "root_mismatch": "the first N events do not make the Merkle root of the checkpoint of size N",
    "truncated": "the export ends before the last event a checkpoint covers",
    "bad_signature": "a checkpoint's signature does not verify",
    "unknown_key": "a checkpoint names a key that is not in the key set",
    "wrong_log": "a checkpoint, key set or proof belongs to another log",
    "size_mismatch": "a proof is for another tree size than its checkpoint",
    "event_mismatch": "the event given is not the one the proof is about",
    "leaf_mismatch": "the event's leaf hash is not the proof's leaf_hash",
    "not_included": "the inclusion proof does not lead to the checkpoint's root",
    "not_consistent": "the consistency proof does not link the two checkpoints' roots",
}


class UnusableInput(ValueError):
    """An input that cannot be checked at all: unreadable, not JSON, or not in its format."""


class Failure(Exception):
    """A check that failed: `code` (a key of REASONS), what was found, and where."""

    def __init__(self, code: str, detail: str, seq: int | None = None) -> None:
        assert code in REASONS, code
        super().__init__(detail)
        self.code, self.detail, self.seq = code, detail, seq


@dataclass(frozen=True)
class Report:
    """The outcome of a verification; true exactly when everything checked out."""

    ok: bool
    # The one-line summary when ok, else what failed and why.
    detail: str
    code: str = ""
    seq: int | None = None
    # The events of a trail read and chained before any failure.
    events: int = 0

    def __bool__(self) -> bool:
        return self.ok

    @property
    def line(self) -> str:
        """The line the command prints: `OK: …`, or `FAILED [at sequence S]: <code>: …`."""
        if self.ok:
            return f"OK: {self.detail}"
        where = "" if self.seq is None else f" at sequence {self.seq}"
        return f"FAILED{where}: {self.code}: {self.detail}"

    @classmethod
    def failed(cls, failure: Failure, events: int = 0) -> "Report":
        """Return the report of a failed check."""
        return cls(False, failure.detail, failure.code, failure.seq, events)
