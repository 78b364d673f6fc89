"""A real Celery worker on Redis delivers the outbox after commit, and the sweep catches up.

The worker runs in a thread of this process (its own database connection), so
the test database must be transactional and the email it sends lands in
Django's locmem outbox.
"""

import datetime
import time
from unittest import mock

import pytest
from celery.result import EagerResult
from django.core import mail
from django.db import transaction
from django.db.models import F

from core.models import OutboxMessage, OutboxStatus
from core.tasks import outbox_dispatch, outbox_sweep
from notifications.models import Notification
from notifications.services import NOTIFY_TOPIC, notify
from tests import celery_worker
from tests.celery_worker import tasks_through_broker, wait_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings):
    """A Celery worker consuming from REDIS_URL; tasks are sent, not run in-process."""
    with tasks_through_broker(settings), celery_worker.worker():
        yield


def test_the_worker_delivers_a_notification_and_its_email_after_commit(worker):
    # given a recipient
    user = UserFactory(email="bidder@example.org", language="en")

    # when a service notifies them and commits
    with transaction.atomic():
        message = notify(recipients=[user], kind="tender.published", title="Tender T-7 published")
        # then nothing is delivered before the commit
        time.sleep(0.5)
        assert Notification.objects.count() == 0

    # then the worker writes the notification and sends the email
    assert wait_for(lambda: Notification.objects.filter(recipient=user).exists())
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert (mail.outbox[0].subject, mail.outbox[0].to) == (
        "[Panjere] Tender T-7 published",
        ["bidder@example.org"],
    )
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 1)
    assert Notification.objects.get(recipient=user).title == "Tender T-7 published"


def test_the_sweep_delivers_a_message_written_while_the_broker_was_down(worker):
    # given a notification committed while every dispatch failed
    user = UserFactory(email="late@example.org", language="en")
    broker_down = mock.patch.object(
        outbox_dispatch, "delay", side_effect=ConnectionError("Redis is down")
    )
    with broker_down, transaction.atomic():
        message = notify(recipients=[user], kind="k", title="Delivered late")
    time.sleep(1)
    assert Notification.objects.count() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)

    # when, the broker back, beat's sweep runs after OUTBOX_SWEEP_AFTER_SECONDS
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=F("created_at") - datetime.timedelta(minutes=5)
    )
    result = outbox_sweep.delay()
    assert not isinstance(result, EagerResult)  # sent through Redis, not run here

    # then the worker delivers it, notification and email
    assert wait_for(lambda: Notification.objects.filter(recipient=user).exists())
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert mail.outbox[0].to == ["late@example.org"]
    message.refresh_from_db()
    assert (message.topic, message.status, message.attempts) == (
        NOTIFY_TOPIC,
        OutboxStatus.PROCESSED,
        1,
    )
    assert message.swept_at is not None
