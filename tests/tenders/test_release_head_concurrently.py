"""The count of releases, advanced by concurrent publications and amendments on PostgreSQL.

A publication records its audit event before its release, an amendment its
release before its event; both lock the audit chain head and the release
count. Taken in opposite orders the two locks would deadlock: the count is
advanced only under the chain head's lock, taken first. Real connections, one
per thread.
"""

import datetime
import threading

import pytest
from django.db import connection

from audit.models import Event
from core.clock import frozen_at
from tenders import services
from tenders.models import Release, ReleaseHead

from .factories import NOW, buyer_team, tender_in_state

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRS = 6


def test_concurrent_publications_and_amendments_count_every_release_without_deadlock():
    # given tenders awaiting approval and as many published ones
    team = buyer_team()
    waiting = [tender_in_state("awaiting_approval", team=team)[0] for _ in range(PAIRS)]
    published = [tender_in_state("published", team=team)[0] for _ in range(PAIRS)]
    releases_before = Release.objects.count()
    assert ReleaseHead.objects.get().count == releases_before == PAIRS
    events_before = Event.objects.count()
    start = threading.Barrier(2 * PAIRS)
    errors = []

    def run(work):
        try:
            start.wait(timeout=30)
            with frozen_at(NOW + datetime.timedelta(hours=1)):
                work()
        except Exception as exc:  # a deadlock surfaces here as OperationalError
            errors.append(exc)
        finally:
            connection.close()

    def publish(tender):
        return lambda: services.tender_approve_and_publish(actor=team.approver, tender=tender)

    def amend(tender):
        return lambda: services.tender_amend(
            actor=team.officer, tender=tender, summary="Title corrected", changes={"title": "New"}
        )

    # when every approval and every amendment runs at once, each on its own connection
    works = [publish(t) for t in waiting] + [amend(t) for t in published]
    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then none failed, every release is counted once, and every change is on the record
    assert errors == []
    assert Release.objects.count() == releases_before + 2 * PAIRS
    assert ReleaseHead.objects.get().count == releases_before + 2 * PAIRS
    assert Event.objects.filter(seq__gt=events_before, action="tender.published").count() == PAIRS
    assert Event.objects.filter(seq__gt=events_before, action="tender.amended").count() == PAIRS
