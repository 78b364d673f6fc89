"""A real Celery worker on Redis, for the tests that need one.

Those tests are marked `redis` and `postgres` and use a transactional
database: the worker runs in a thread of the test process with its own
database connection. Tasks are sent through REDIS_URL, never run in-process.
"""

import contextlib
import os
import time

from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun

from config.celery import app


def wait_for(condition, timeout: float = 30.0) -> bool:
    """Whether `condition()` became true within `timeout` seconds (polled every 0.1 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@contextlib.contextmanager
def tasks_through_broker(settings):
    """Send tasks to REDIS_URL from an empty queue; afterwards run them in-process again."""
    assert app.conf.broker_url == os.environ["REDIS_URL"]
    eager = app.conf.task_always_eager  # read before the change: conf reads through settings
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    app.control.purge()  # nothing left over from an earlier run
    try:
        yield
    finally:
        app.control.purge()
        app.conf.task_always_eager = eager
    assert app.conf.task_always_eager is True  # the other tests run tasks in-process again


def worker():
    """A worker consuming from the broker, for as long as the `with` block lasts."""
    return start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING")


@contextlib.contextmanager
def finished_runs(task_name: str):
    """What each run of `task_name` returned, in the order the worker finished them."""
    returned = []

    def collect(sender=None, retval=None, **kwargs):
        if sender is not None and sender.name == task_name:
            returned.append(retval)

    task_postrun.connect(collect, weak=False)
    try:
        yield returned
    finally:
        task_postrun.disconnect(collect)
