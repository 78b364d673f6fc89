"""Beat's schedule: CELERY_BEAT_SCHEDULE is copied into django-celery-beat's tables."""

import pytest
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app


def test_the_app_reads_the_schedule_and_finds_the_outbox_tasks():
    # then the sweep runs every 30 seconds through the database scheduler
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
    assert app.conf.beat_schedule["outbox-sweep"] == {
        "task": "core.tasks.outbox_sweep",
        "schedule": 30.0,
    }
    app.loader.import_default_modules()
    assert {"core.tasks.outbox_dispatch", "core.tasks.outbox_sweep"} <= set(app.tasks)


# Transactional: the scheduler closes "old" connections, as beat does between ticks.
@pytest.mark.django_db(transaction=True)
def test_starting_beat_installs_the_outbox_sweep_in_the_database():
    # when beat's database scheduler starts
    DatabaseScheduler(app=app)

    # then the sweep is a periodic task every 30 seconds, visible in the admin
    task = PeriodicTask.objects.get(name="outbox-sweep")
    assert (task.task, task.enabled) == ("core.tasks.outbox_sweep", True)
    assert (task.interval.every, task.interval.period) == (30, "seconds")
