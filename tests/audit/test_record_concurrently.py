"""Concurrent writers on PostgreSQL extend one unbroken chain."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from audit.models import Event
from audit.services import record

WRITERS = 20
EVENTS_PER_WRITER = 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_writers_append_one_chain_without_gaps():
    # given an empty trail and twenty writers, each with its own connection
    assert Event.objects.count() == 0
    start = threading.Barrier(WRITERS)
    errors = []

    def writer(number):
        try:
            start.wait(timeout=30)
            with transaction.atomic():
                for n in range(EVENTS_PER_WRITER):
                    record(action="test.concurrent", payload={"writer": number, "n": n})
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(number,)) for number in range(WRITERS)]

    # when they all append at once, each in its own transaction
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then every event is on the record, numbered 1..100 without a gap
    assert errors == []
    total = WRITERS * EVENTS_PER_WRITER
    seqs = list(Event.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    # and each writer's transaction holds the chain until it commits: its events are contiguous
    by_writer = {}
    for seq, payload in Event.objects.order_by("seq").values_list("seq", "payload"):
        by_writer.setdefault(payload["writer"], []).append((seq, payload["n"]))
    assert sorted(by_writer) == list(range(WRITERS))
    for events in by_writer.values():
        first = events[0][0]
        assert events == [(first + n, n) for n in range(EVENTS_PER_WRITER)]
    # and the whole chain verifies
    last = Event.objects.get(seq=total)
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith(f"Audit trail intact: {total} events, head {last.hash}, root ")
