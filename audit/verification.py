"""Re-check the hash chain: that no event was altered, removed or reordered.

The walk reads the events in sequence order through a server-side cursor
(`iterator()`), so it runs in constant memory however long the trail is. It
stops at the first bad sequence number and says why:

- ``altered``: the event's content no longer matches its hash;
- ``missing``: a sequence number is absent (the event was removed);
- ``relinked``: the event's previous hash is not the hash of the event before
  it (events removed or reordered);
- ``head``: the chain head (the row every append locks) disagrees with the
  last event (events removed at the end, or the tail rewritten);
- ``unaccounted``: an event lies beyond the chain head (written around
  `audit.services.record`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from .chain import body_hash, event_body
from .models import GENESIS_HASH, ChainHead, Event

REASONS = {
    "altered": _("the event's content does not match its hash (altered)"),
    "missing": _("the event is missing (removed)"),
    "relinked": _(
        "the event's previous hash is not the hash of the event before it (removed or reordered)"
    ),
    "out_of_order": _("the sequence numbers are not in ascending order (reordered)"),
    "head": _(
        "the chain head does not match the last event (events removed at the end, or rewritten)"
    ),
    "unaccounted": _(
        "the event is not accounted for by the chain head (written outside the chain)"
    ),
}


@dataclass(frozen=True)
class ChainReport:
    """The outcome of a verification."""

    # How many events were found good (before the break, if any).
    count: int
    # The hash of the last good event (the genesis hash when there is none).
    head: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None

    @property
    def reason(self) -> str:
        return str(REASONS[self.problem]) if self.problem else ""


def _walk(items: Iterable[tuple[dict, str]], *, contiguous: bool = True) -> ChainReport:
    """Check (hashed fields, stored hash) pairs in sequence order."""
    count, last_seq, last_hash = 0, 0, GENESIS_HASH
    for body, stored_hash in items:
        seq = body["seq"]
        if contiguous and seq != last_seq + 1:
            problem = "missing" if seq > last_seq + 1 else "out_of_order"
            return ChainReport(count, last_hash, last_seq + 1, problem)
        if not contiguous and seq <= last_seq:
            return ChainReport(count, last_hash, seq, "out_of_order")
        if contiguous and body["prev_hash"] != last_hash:
            return ChainReport(count, last_hash, seq, "relinked")
        try:
            altered = body_hash(body) != stored_hash
        except (KeyError, TypeError, ValueError):  # a field missing or not hex
            altered = True
        if altered:
            return ChainReport(count, last_hash, seq, "altered")
        count, last_seq, last_hash = count + 1, seq, stored_hash
    return ChainReport(count, last_hash)


def _events(queryset, chunk_size: int) -> Iterator[tuple[dict, str]]:
    for event in queryset.iterator(chunk_size=chunk_size):
        yield event_body(event), event.hash


def verify_chain(*, chunk_size: int = 2000) -> ChainReport:
    """Walk the whole trail in sequence order and report the first bad event.

    Appends are serialised on the chain head and commit in sequence order, so
    every event up to the head read first is committed: events appended while
    the walk runs are left for the next run and never reported as a break.
    """
    head = ChainHead.objects.filter(pk=1).first()
    events = Event.objects.order_by("seq")
    if head is not None:
        events = events.filter(seq__lte=head.seq)
    report = _walk(_events(events, chunk_size))
    if not report.intact or head is None:
        return report
    if report.count != head.seq:
        return ChainReport(report.count, report.head, report.count + 1, "missing")
    if report.head != head.hash:
        return ChainReport(report.count - 1, report.head, head.seq, "head")
    # Read the highest sequence number before the head again: an append
    # committing in between moves the head past it, never the reverse.
    highest = Event.objects.aggregate(highest=Max("seq"))["highest"] or 0
    head_now = ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
    if highest > head_now:
        return ChainReport(report.count, report.head, head_now + 1, "unaccounted")
    return report


def verify_records(records: Iterable[dict], *, contiguous: bool = True) -> ChainReport:
    """Verify exported events (dicts with every hashed field and `hash`).

    A full export is checked as a chain from sequence 1. A filtered export
    (`contiguous=False`) has gaps by design: then each event's own hash is
    checked, and that the sequence numbers ascend.
    """
    return _walk(
        (({k: v for k, v in record.items() if k != "hash"}, record["hash"]) for record in records),
        contiguous=contiguous,
    )
