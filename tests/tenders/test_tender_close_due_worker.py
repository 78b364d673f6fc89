"""The closing sweep, run by a real Celery worker on Redis against PostgreSQL, across a restart.

Beat only sends `tenders.tasks.close_due` every 30 seconds; here the test sends
it through the broker as beat does (never in-process). The worker runs in a
thread of this process with its own database connection and reads the same
frozen clock (`core.clock.frozen_at`). While the worker is stopped, the sweeps
beat sends wait in Redis; the next worker runs them, and whatever fell due in
between is closed exactly once.
"""

import datetime
import os

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun

from audit.models import Event
from config.celery import app
from core.clock import frozen_at
from tenders import tasks
from tenders.models import Tender
from tests.suppliers.test_documents_sweep_worker import wait_for

from .factories import DAY, SUBMISSION_DEADLINE, buyer_team, tender_in_state

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def broker(settings):
    """Tasks go through REDIS_URL to a worker, never run in-process; nothing left from before."""
    assert app.conf.broker_url == os.environ["REDIS_URL"]
    eager = app.conf.task_always_eager  # read before the change: conf reads through settings
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        yield
    finally:
        app.control.purge()
        app.conf.task_always_eager = eager
    assert app.conf.task_always_eager is True  # the other tests run tasks in-process again


@pytest.fixture
def finished_sweeps():
    """What each run of the sweep returned, in the order the worker finished them."""
    returned = []

    def collect(sender=None, retval=None, **kwargs):
        if sender is not None and sender.name == "tenders.tasks.close_due":
            returned.append(retval)

    task_postrun.connect(collect, weak=False)
    yield returned
    task_postrun.disconnect(collect)


def _worker():
    return start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING")


def _states(*tenders) -> list[str]:
    states = dict(Tender.objects.values_list("pk", "state"))
    return [states[tender.pk] for tender in tenders]


def test_the_worker_closes_what_is_due_and_after_a_restart_what_fell_due_meanwhile(
    broker, finished_sweeps
):
    # given two tenders due at the deadline and one due a day later
    team = buyer_team()
    first, _team = tender_in_state("published", team=team)
    second, _team = tender_in_state("published", team=team)
    later, _team = tender_in_state(
        "published",
        team=team,
        submission_deadline=SUBMISSION_DEADLINE + DAY,
        opening_at=SUBMISSION_DEADLINE + DAY,
    )

    # when the deadline has passed and beat's sweep reaches the worker through Redis
    with frozen_at(SUBMISSION_DEADLINE + SECOND), _worker():
        result = tasks.close_due.delay()
        assert not isinstance(result, EagerResult)
        assert wait_for(lambda: len(finished_sweeps) == 1)

    # then the two due tenders are closed, the later one is still open
    assert finished_sweeps == [2]
    assert _states(first, second, later) == ["closed", "closed", "published"]

    # when the later deadline passes while no worker runs, and beat sends two sweeps meanwhile
    with frozen_at(SUBMISSION_DEADLINE + DAY + SECOND):
        tasks.close_due.delay()
        tasks.close_due.delay()
        assert _states(later) == ["published"]
        assert finished_sweeps == [2]

        # and a worker starts again
        with _worker():
            assert wait_for(lambda: len(finished_sweeps) == 3)

    # then the waiting sweeps ran: the first closed the later tender, the second found nothing
    assert finished_sweeps == [2, 1, 0]
    assert _states(first, second, later) == ["closed", "closed", "closed"]
    # and each tender was closed exactly once, by the platform, on the record
    closed = Event.objects.filter(action="tender.closed").order_by("seq")
    assert [(event.object_id, event.actor_id) for event in closed] == [
        (str(first.pk), None),
        (str(second.pk), None),
        (str(later.pk), None),
    ]
