"""At the submission deadline the tender closes by itself: the beat sweep, idempotent."""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection

from audit.models import Event
from config.celery import app
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders import services, tasks
from tenders.exceptions import DeadlineNotReached, TenderNotAllowed
from tenders.models import Tender

from .factories import DAY, SUBMISSION_DEADLINE, buyer_team, plain_user, tender_in_state

SECOND = datetime.timedelta(seconds=1)


@pytest.mark.django_db
def test_before_the_deadline_the_sweep_closes_nothing(nothing_written):
    # given
    tender_in_state("published")

    # when / then
    with frozen_at(SUBMISSION_DEADLINE - SECOND), nothing_written():
        assert services.tender_close_due() == 0


@pytest.mark.django_db
def test_at_the_deadline_the_sweep_closes_once_and_a_second_run_does_nothing(nothing_written):
    # given two published tenders due at the deadline, one later, and a draft due too
    team = buyer_team()
    first, _team = tender_in_state("published", team=team)
    second, _team = tender_in_state("published", team=team)
    later, _team = tender_in_state(
        "published",
        team=team,
        submission_deadline=SUBMISSION_DEADLINE + DAY,
        opening_at=SUBMISSION_DEADLINE + DAY,
    )
    draft, _team = tender_in_state("draft", team=team)
    reader = plain_user()
    services.tender_follow(actor=reader, tender=first)
    outbox_before = OutboxMessage.objects.filter(topic="core.notify").count()

    # when
    with frozen_at(SUBMISSION_DEADLINE):
        closed = services.tender_close_due()

    # then
    assert closed == 2
    states = dict(Tender.objects.values_list("pk", "state"))
    assert [states[t.pk] for t in (first, second, later, draft)] == [
        "closed",
        "closed",
        "published",
        "draft",
    ]
    assert Tender.objects.get(pk=first.pk).closed_at == SUBMISSION_DEADLINE
    events = Event.objects.filter(action="tender.closed").order_by("seq")
    assert [(e.object_id, e.actor_user) for e in events] == [
        (str(first.pk), None),
        (str(second.pk), None),
    ]
    assert events[0].payload == {
        "from": "published",
        "to": "closed",
        "submission_deadline": "2029-07-06T09:00:00+00:00",
        "closed_at": "2029-07-06T09:00:00+00:00",
    }
    messages = OutboxMessage.objects.filter(topic="core.notify").order_by("pk")[outbox_before:]
    assert [m.payload["recipients"] for m in messages] == [
        [team.officer.pk, reader.pk],
        [team.officer.pk],
    ]

    # and when it runs again, even later, nothing more happens
    with frozen_at(SUBMISSION_DEADLINE + 10 * SECOND), nothing_written():
        assert services.tender_close_due() == 0


@pytest.mark.django_db
def test_closing_one_tender_is_idempotent(nothing_written):
    # given
    tender, _team = tender_in_state("published")
    with frozen_at(SUBMISSION_DEADLINE):
        services.tender_close(tender=tender)

    # when / then: closing again changes nothing and writes nothing
    with frozen_at(SUBMISSION_DEADLINE + DAY), nothing_written():
        result = services.tender_close(tender=tender)
    assert result.state == "closed"
    assert Event.objects.filter(action="tender.closed").count() == 1


@pytest.mark.django_db
def test_a_tender_does_not_close_before_its_deadline(nothing_written):
    # given
    tender, _team = tender_in_state("published")

    # when / then
    with (
        frozen_at(SUBMISSION_DEADLINE - SECOND),
        nothing_written(),
        pytest.raises(DeadlineNotReached) as raised,
    ):
        services.tender_close(tender=tender)
    assert raised.value.code == "tender.deadline_not_reached"


@pytest.mark.django_db
def test_nobody_closes_a_tender_by_hand(nothing_written):
    # given
    tender, team = tender_in_state("published")

    # when / then
    with frozen_at(SUBMISSION_DEADLINE), nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_close(tender=tender, actor=team.officer)


@pytest.mark.django_db
def test_the_task_runs_the_sweep():
    # given
    tender, _team = tender_in_state("published")

    # when
    with frozen_at(SUBMISSION_DEADLINE):
        closed = tasks.close_due.delay().get()

    # then
    assert closed == 1
    assert Tender.objects.get(pk=tender.pk).state == "closed"


def test_beat_runs_the_sweep_every_thirty_seconds():
    # then
    assert settings.CELERY_BEAT_SCHEDULE["tender-close-due"] == {
        "task": "tenders.tasks.close_due",
        "schedule": 30.0,
    }
    app.loader.import_default_modules()
    assert "tenders.tasks.close_due" in app.tasks


SWEEPERS = 4
TENDERS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_close_each_tender_exactly_once():
    # given twelve published tenders due at the same deadline
    team = buyer_team()
    tenders = [tender_in_state("published", team=team)[0] for _ in range(TENDERS)]
    start = threading.Barrier(SWEEPERS)
    results, errors = [], []

    def sweep():
        try:
            start.wait(timeout=30)
            results.append(services.tender_close_due())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    # when four sweeps run at once, each on its own connection
    with frozen_at(SUBMISSION_DEADLINE):
        threads = [threading.Thread(target=sweep) for _ in range(SWEEPERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    # then every tender is closed, by exactly one of them, with one event each
    assert errors == []
    assert sum(results) == TENDERS
    assert set(Tender.objects.values_list("state", flat=True)) == {"closed"}
    closed_events = list(
        Event.objects.filter(action="tender.closed").values_list("object_id", flat=True)
    )
    assert sorted(closed_events, key=int) == [str(t.pk) for t in tenders]
