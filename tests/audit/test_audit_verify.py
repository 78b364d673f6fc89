"""`manage.py audit verify` finds what the database's owner did around every guard.

The tampering acts as the owner (tests/audit/factories.py: the owner's
connection, triggers disabled, no model refusals). A change that leaves the
chain inconsistent is found by the chain alone; a rewrite with every hash, the
tree and the head recomputed is found against the checkpoint signed before it,
stored in the database or kept outside it.
"""

import io
import json
import tempfile

import pytest
from django.core.management import call_command

from audit.models import GENESIS_HASH, Event
from audit.services import checkpoint_take
from audit.verification import CheckpointCopy, verify_chain

from .factories import (
    as_owner,
    expected_body,
    expected_hash,
    head,
    make_events,
    rebuild_everything,
    swap_contents,
)

pytestmark = pytest.mark.django_db(transaction=True)

EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ALTERED = "the event's content does not match its hash (altered)"
MISSING = "the event is missing (removed)"
RELINKED = "the event's previous hash is not the hash of the event before it (removed or reordered)"
HEAD = "the chain head does not match the last event (events removed at the end, or rewritten)"
HEAD_MISSING = "the chain head is missing (the trail was emptied or restarted)"
UNACCOUNTED = "the event is not accounted for by the chain head (written outside the chain)"
TREE = "a stored Merkle subtree does not match the events under it"
REWRITTEN = (
    "the events up to here do not match the checkpoint signed for this size (rewritten after "
    "it was signed)"
)
TRUNCATED = "a signed checkpoint covers events that are no longer on the trail (removed)"
SIGNATURE = "a checkpoint's signature does not verify with any key of the platform"


def _verify(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def _broken(seq, reason):
    return (1, "", f"Audit trail broken at sequence {seq}: {reason}\n")


@pytest.fixture
def thirty():
    events = make_events(30)
    return events


def _intact(count, last_hash, checkpoints=0):
    root = verify_chain().root
    return (
        0,
        f"Audit trail intact: {count} events, head {last_hash}, root {root}, "
        f"{checkpoints} checkpoints matched\n",
        "",
    )


def test_an_empty_trail_is_intact():
    assert _verify() == (
        0,
        f"Audit trail intact: 0 events, head {GENESIS_HASH}, root {EMPTY_ROOT}, "
        "0 checkpoints matched\n",
        "",
    )


def test_an_untouched_trail_is_intact_with_its_checkpoints(thirty):
    # given checkpoints at 30 and, after five more events, at 35
    checkpoint_take()
    more = make_events(5)
    checkpoint_take()

    # when the trail is verified, in chunks smaller than the trail
    out = io.StringIO()
    call_command("audit", "verify", "--chunk-size", "7", stdout=out)

    # then it is intact, ends at the last event's hash and matched both checkpoints
    assert _verify() == _intact(35, more[-1].hash, checkpoints=2)
    assert out.getvalue() == _intact(35, more[-1].hash, checkpoints=2)[1]


def test_an_altered_payload_is_found(thirty):
    with as_owner() as db:
        db.events.filter(seq=17).update(payload={"n": 1700})

    assert _verify() == _broken(17, ALTERED)


def test_an_altered_event_with_its_hash_recomputed_breaks_the_next_link(thirty):
    with as_owner() as db:
        db.events.filter(seq=17).update(reason="backdated")
        forged = db.events.get(seq=17)
        db.events.filter(seq=17).update(hash=expected_hash(expected_body(forged)))

    assert _verify() == _broken(18, RELINKED)


def test_a_removed_event_is_found(thirty):
    with as_owner() as db:
        db.events.filter(seq=12).delete()

    assert _verify() == _broken(12, MISSING)


def test_two_reordered_events_are_found(thirty):
    swap_contents(8, 21)

    assert _verify() == _broken(8, RELINKED)


def test_events_removed_at_the_end_are_found_through_the_chain_head(thirty):
    with as_owner() as db:
        db.events.filter(seq__gte=29).delete()

    assert head() == (30, thirty[-1].hash)
    assert _verify() == _broken(29, MISSING)


def test_the_tail_removed_and_the_head_moved_back_is_found_against_the_checkpoint(thirty):
    # given a checkpoint at 30, then the last five events removed, the tree and head rebuilt
    kept = CheckpointCopy.from_model(checkpoint_take())
    with as_owner() as db:
        db.events.filter(seq__gt=25).delete()
        db.checkpoints.all().delete()  # the owner removes the stored checkpoint too
        rebuild_everything(db)

    # then the trail looks whole by itself, but not against the checkpoint kept outside
    assert verify_chain().intact
    assert verify_chain(checkpoints=[kept]).problem == "truncated"
    path = _keep(kept)
    assert _verify("--checkpoint", path) == _broken(26, TRUNCATED)


def test_a_rewrite_from_the_middle_with_everything_recomputed_is_found(thirty):
    # given a checkpoint signed at 30, then event 12 rewritten as the owner, with every
    # later hash, the Merkle tree and the head recomputed to match
    checkpoint_take()
    with as_owner() as db:
        db.events.filter(seq=12).update(reason="a different decision")
        rebuild_everything(db)

    # then the chain and tree are consistent, but the signed root at 30 is not theirs
    assert _verify() == _broken(30, REWRITTEN)


def test_truncate_and_restart_is_found_against_the_checkpoint_kept_outside(thirty):
    # given a checkpoint kept outside, then the trail emptied and restarted by the owner
    kept = CheckpointCopy.from_model(checkpoint_take())
    with as_owner() as db:
        db.events.all().delete()
        db.nodes.all().delete()
        db.checkpoints.all().delete()
        db.heads.filter(pk=1).update(seq=0, hash=GENESIS_HASH, frontier=b"")
    make_events(40, action="test.after_the_restart")

    # then the new trail is consistent on its own, and not the one that was signed
    assert verify_chain().intact
    assert _verify("--checkpoint", _keep(kept)) == _broken(30, REWRITTEN)


def test_a_forged_checkpoint_is_found(thirty):
    checkpoint_take()
    with as_owner() as db:
        db.checkpoints.filter(size=30).update(root_hash="0" * 64)

    assert _verify() == _broken(30, SIGNATURE)


def test_a_wrong_stored_subtree_is_found(thirty):
    with as_owner() as db:
        db.nodes.filter(level=4, index=0).update(hash=b"\0" * 32)

    assert _verify() == _broken(16, TREE)


def test_a_wrong_frontier_on_the_head_is_found(thirty):
    with as_owner() as db:
        db.heads.filter(pk=1).update(frontier=b"\1" * 32 * 4)

    assert _verify() == _broken(30, TREE)


def test_a_missing_chain_head_is_found(thirty):
    with as_owner() as db:
        db.heads.all().delete()

    assert _verify() == _broken(1, HEAD_MISSING)


def test_an_event_written_around_the_chain_head_is_found(thirty):
    # given an event inserted by the owner after the last one, without moving the head
    with as_owner() as db:
        forged = Event(
            seq=31,
            recorded_at=thirty[-1].recorded_at,
            action="test.forged",
            prev_hash=thirty[-1].hash,
        )
        forged.hash = expected_hash(expected_body(forged))
        db.events.bulk_create([forged])

    assert _verify() == _broken(31, UNACCOUNTED)


def test_the_report_counts_the_good_events_before_the_break(thirty):
    with as_owner() as db:
        db.events.filter(seq=17).update(payload={"n": 1700})

    report = verify_chain(chunk_size=5)

    assert (report.intact, report.count, report.broken_at, report.problem) == (
        False,
        16,
        17,
        "altered",
    )
    assert report.head == thirty[15].hash


def _keep(checkpoint: CheckpointCopy) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(checkpoint.as_json(), file)
    return file.name
