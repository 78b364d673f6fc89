"""Outbox handlers that call the outside world: the call outside any transaction, one key.

A `@calls_outside` handler prepares its call in a first transaction, makes it with
no transaction open, and records what came back in a second one. Every attempt
of one message carries the same idempotency key, so a retry after a failure or a
crash is the same e-mail (its Message-ID) to the outside world.
"""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction

from core import outbox
from core.mail import message_id
from core.models import OutboxMessage, OutboxStatus
from core.tasks import outbox_dispatch
from notifications.models import Notification
from notifications.services import EMAIL_TOPIC, notify
from tests.factories import UserFactory

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _notified_email(user) -> OutboxMessage:
    """Notify `user` (in-app delivered), and return the e-mail's message, not yet run."""
    with mock.patch.object(outbox_dispatch, "delay"), transaction.atomic():
        notify(recipients=[user], kind="tender.published", title="T-1 is published")
    (deliver,) = OutboxMessage.objects.exclude(topic=EMAIL_TOPIC)
    with mock.patch.object(outbox_dispatch, "delay"):
        assert outbox.process(deliver.pk) is True
    return OutboxMessage.objects.get(topic=EMAIL_TOPIC)


class SendWatch:
    """Stands in for sending: notes whether a transaction was open, then sends (or fails)."""

    def __init__(self, fail_with: Exception | None = None):
        self.fail_with = fail_with
        self.in_transaction: list[bool] = []

    def __call__(self, email_message, *args, **kwargs):
        self.in_transaction.append(connection.in_atomic_block)
        if self.fail_with is not None:
            raise self.fail_with
        return self.original(email_message, *args, **kwargs)


@pytest.fixture
def watch(monkeypatch):
    from django.core.mail import EmailMessage

    watcher = SendWatch()
    watcher.original = EmailMessage.send
    monkeypatch.setattr(EmailMessage, "send", lambda self, *a, **k: watcher(self, *a, **k))
    return watcher


@pytest.mark.django_db(transaction=True)
def test_the_email_leaves_outside_any_transaction_with_the_messages_own_id(watch):
    # given a notification whose e-mail waits in the outbox
    user = UserFactory(email="reader@example.org")
    message = _notified_email(user)

    # when a worker runs it
    assert outbox.process(message.pk) is True

    # then the mail was sent while no transaction was open, once, under the message's key
    assert watch.in_transaction == [False]
    (sent,) = mail.outbox
    assert sent.to == ["reader@example.org"]
    assert sent.extra_headers["Message-ID"] == f"<panjere-outbox-{message.pk}@127.0.0.1>"
    assert message_id(f"panjere-outbox-{message.pk}") == sent.extra_headers["Message-ID"]
    # and the second transaction recorded it
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        OutboxStatus.PROCESSED,
        1,
        "",
    )
    assert Notification.objects.get(recipient=user).emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_retried_later_as_the_same_email(watch):
    # given a mail server that refuses, then comes back
    user = UserFactory(email="reader@example.org")
    with time_machine.travel(START, tick=False):
        message = _notified_email(user)
        watch.fail_with = ConnectionRefusedError("SMTP is down")

        # when the worker runs the e-mail
        assert outbox.process(message.pk) is False

    # then nothing was sent or recorded, and the message waits for its retry
    assert mail.outbox == []
    assert Notification.objects.get(recipient=user).emailed_at is None
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error == "ConnectionRefusedError: SMTP is down"
    assert message.available_at == START + datetime.timedelta(seconds=30)

    # when the server is back and the retry runs
    watch.fail_with = None
    assert outbox.process(message.pk) is True

    # then one e-mail left, with the key every attempt of this message carries
    assert watch.in_transaction == [False, False]
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<panjere-outbox-{message.pk}@127.0.0.1>"
    ]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 2)


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_died_while_sending_is_replaced_after_its_lease(watch, settings):
    # given a worker that prepared the e-mail and died before its call returned
    settings.OUTBOX_LEASE_SECONDS = 300
    user = UserFactory(email="reader@example.org")
    with time_machine.travel(START, tick=False):
        message = _notified_email(user)
        with mock.patch.object(outbox, "_process_outside_call", return_value=False):
            assert outbox.process(message.pk) is False
    message.refresh_from_db()
    assert (message.status, message.available_at) == (
        OutboxStatus.SENDING,
        START + datetime.timedelta(seconds=300),
    )

    # when another worker receives the message while the lease holds
    # then it does not send it a second time, and the sweep leaves it alone
    assert outbox.process(message.pk) is False
    with (
        time_machine.travel(START + datetime.timedelta(seconds=299), tick=False),
        mock.patch.object(outbox_dispatch, "delay") as delay,
    ):
        assert outbox.sweep() == 0
    assert delay.call_count == 0
    assert mail.outbox == []

    # when the lease has run out, the sweep hands the message out again
    with (
        time_machine.travel(START + datetime.timedelta(seconds=301), tick=False),
        mock.patch.object(outbox_dispatch, "delay") as delay,
    ):
        assert outbox.sweep() == 1
    delay.assert_called_once_with(message.pk)
    assert outbox.process(message.pk) is True

    # then the e-mail leaves once, as the same message the dead worker was sending
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<panjere-outbox-{message.pk}@127.0.0.1>"
    ]
    assert Notification.objects.get(recipient=user).emailed_at is not None


@pytest.mark.django_db(transaction=True)
def test_nothing_to_send_is_processed_without_a_call(watch):
    # given a notification e-mail for an account closed before it left
    user = UserFactory(email="reader@example.org")
    message = _notified_email(user)
    user.is_active = False
    user.save(update_fields=["is_active"])

    # when the worker runs it
    assert outbox.process(message.pk) is True

    # then no call was made and the message is done
    assert watch.in_transaction == []
    assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 1)


@pytest.mark.django_db(transaction=True)
def test_the_sign_up_link_leaves_outside_any_transaction_and_is_never_stored(watch, client):
    # given someone signing up
    from accounts.services import EMAIL_VERIFICATION_TOPIC

    with mock.patch.object(outbox_dispatch, "delay"):
        from accounts.services import user_sign_up

        user = user_sign_up(email="new@example.org", password="a long passphrase 1", name="N")
    message = OutboxMessage.objects.get(topic=EMAIL_VERIFICATION_TOPIC)

    # when the worker sends the verification e-mail
    assert outbox.process(message.pk) is True

    # then it went outside any transaction, and its link is in the e-mail only
    assert watch.in_transaction == [False]
    (sent,) = mail.outbox
    assert sent.to == ["new@example.org"]
    assert "/accounts/verify-email/" in sent.body
    message.refresh_from_db()
    assert message.payload == {"user_id": user.pk}
    assert message.status == OutboxStatus.PROCESSED
