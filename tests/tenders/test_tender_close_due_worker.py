"""The closing sweep, run by a real Celery worker on Redis against PostgreSQL, across a restart.

Beat only sends `tenders.tasks.close_due` every 30 seconds; here the test sends
it through the broker as beat does (never in-process). The worker runs in a
thread of this process with its own database connection and reads the same
frozen clock (`core.clock.frozen_at`). While the worker is stopped, the sweeps
beat sends wait in Redis; the next worker runs them, and whatever fell due in
between is closed exactly once.
"""

import datetime

import pytest
from celery.result import EagerResult

from audit.models import Event
from core.clock import frozen_at
from tenders import tasks
from tenders.models import Tender
from tests.celery_worker import finished_runs, tasks_through_broker, wait_for, worker

from .factories import DAY, SUBMISSION_DEADLINE, buyer_team, tender_in_state

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def broker(settings):
    """Tasks go through REDIS_URL to a worker, never run in-process; nothing left from before."""
    with tasks_through_broker(settings):
        yield


@pytest.fixture
def finished_sweeps():
    """What each run of the sweep returned, in the order the worker finished them."""
    with finished_runs("tenders.tasks.close_due") as returned:
        yield returned


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
    with frozen_at(SUBMISSION_DEADLINE + SECOND), worker():
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
        with worker():
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
