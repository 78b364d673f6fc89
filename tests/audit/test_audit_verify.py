"""`manage.py audit verify` finds the first altered, removed or reordered event.

The tampering goes around the model and, on PostgreSQL, switches the
append-only triggers off (pgtrigger.ignore), as a database owner could.
"""

import io

import pytest
from django.core.management import call_command

from audit.chain import event_hash
from audit.models import GENESIS_HASH, Event
from audit.verification import verify_chain

from .factories import head, make_events, swap_contents, tampering

pytestmark = pytest.mark.django_db

ALTERED = "the event's content does not match its hash (altered)"
MISSING = "the event is missing (removed)"
RELINKED = "the event's previous hash is not the hash of the event before it (removed or reordered)"
HEAD = "the chain head does not match the last event (events removed at the end, or rewritten)"
UNACCOUNTED = "the event is not accounted for by the chain head (written outside the chain)"


def _verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def thirty():
    return make_events(30)


def test_an_empty_trail_is_intact():
    assert _verify() == (0, f"Audit trail intact: 0 events, head {GENESIS_HASH}\n", "")


def test_an_untouched_trail_is_intact(thirty):
    # when the trail of thirty events is verified, in chunks smaller than the trail
    out = io.StringIO()
    call_command("audit", "verify", "--chunk-size", "7", stdout=out)

    # then it is intact and ends at the last event's hash
    assert out.getvalue() == f"Audit trail intact: 30 events, head {thirty[-1].hash}\n"
    assert _verify() == (0, f"Audit trail intact: 30 events, head {thirty[-1].hash}\n", "")


def test_an_altered_payload_is_found(thirty):
    # given event 17's payload changed in the database
    with tampering() as events:
        events.filter(seq=17).update(payload={"n": 1700})

    # then verification fails at exactly 17
    assert _verify() == (1, "", f"Audit trail broken at sequence 17: {ALTERED}\n")


def test_an_altered_event_with_its_hash_recomputed_breaks_the_next_link(thirty):
    # given event 17 changed and given a hash that matches its new content
    with tampering() as events:
        events.filter(seq=17).update(reason="backdated")
        forged = Event.objects.get(seq=17)
        events.filter(seq=17).update(hash=event_hash(forged))

    # then event 18 no longer follows from it
    assert _verify() == (1, "", f"Audit trail broken at sequence 18: {RELINKED}\n")


def test_a_removed_event_is_found(thirty):
    with tampering() as events:
        events.filter(seq=12).delete()

    assert _verify() == (1, "", f"Audit trail broken at sequence 12: {MISSING}\n")


def test_the_first_event_removed_is_found(thirty):
    with tampering() as events:
        events.filter(seq=1).delete()

    assert _verify() == (1, "", f"Audit trail broken at sequence 1: {MISSING}\n")


def test_two_reordered_events_are_found(thirty):
    # given events 8 and 21 swapped (every column but the sequence number)
    swap_contents(8, 21)

    # then verification fails at the earlier of the two
    assert _verify() == (1, "", f"Audit trail broken at sequence 8: {RELINKED}\n")


def test_two_neighbours_swapped_are_found(thirty):
    swap_contents(9, 10)

    assert _verify() == (1, "", f"Audit trail broken at sequence 9: {RELINKED}\n")


def test_events_removed_at_the_end_are_found_through_the_chain_head(thirty):
    # given the last two events removed (the rest of the chain is consistent)
    with tampering() as events:
        events.filter(seq__gte=29).delete()

    # then the chain head, which says 30, gives it away
    assert head() == (30, thirty[-1].hash)
    assert _verify() == (1, "", f"Audit trail broken at sequence 29: {MISSING}\n")


def test_a_rewritten_last_event_is_found_through_the_chain_head(thirty):
    # given the last event rewritten with a matching hash
    with tampering() as events:
        events.filter(seq=30).update(action="test.rewritten")
        events.filter(seq=30).update(hash=event_hash(Event.objects.get(seq=30)))

    assert _verify() == (1, "", f"Audit trail broken at sequence 30: {HEAD}\n")


def test_an_event_written_around_the_chain_head_is_found(thirty):
    # given an event inserted directly after the last one, without moving the head
    forged = Event(
        seq=31,
        recorded_at=thirty[-1].recorded_at,
        action="test.forged",
        prev_hash=thirty[-1].hash,
    )
    forged.hash = event_hash(forged)
    forged.save()

    assert _verify() == (1, "", f"Audit trail broken at sequence 31: {UNACCOUNTED}\n")


def test_the_report_counts_the_good_events_before_the_break(thirty):
    with tampering() as events:
        events.filter(seq=17).update(payload={"n": 1700})

    report = verify_chain(chunk_size=5)

    assert (report.intact, report.count, report.broken_at, report.problem) == (
        False,
        16,
        17,
        "altered",
    )
    assert report.head == thirty[15].hash
