"""The outbox: written in the service's transaction, dispatched after commit, swept when lost."""

import datetime
import threading
from unittest import mock

import pytest
import time_machine
from django.db import connection, transaction

from core import outbox
from core.checks import outbox_handlers_import
from core.models import OutboxMessage, OutboxStatus
from core.tasks import outbox_dispatch, outbox_sweep

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)

# What the test handlers saw, per topic: the payloads, in call order.
calls: dict[str, list] = {}
# Test topics whose handler raises while the topic is in this set.
failing: set[str] = set()


def _record(message):
    calls.setdefault(message.topic, []).append(message.payload)
    if message.topic in failing:
        raise RuntimeError("mail server unreachable")


# The test topics' handlers, added to settings.OUTBOX_HANDLERS for each test.
TEST_HANDLERS = {
    "tests.outbox.record": "tests.core.test_outbox._record",
    "tests.outbox.fail": "tests.core.test_outbox._record",
    "tests.outbox.slow": "tests.core.test_outbox._slow",
}


# The slow handler runs until the test releases it.
slow_started, slow_release = threading.Event(), threading.Event()


def _slow(message):
    slow_started.set()
    slow_release.wait(10)


@pytest.fixture(autouse=True)
def _fresh_handlers_state(settings):
    settings.OUTBOX_HANDLERS = {**settings.OUTBOX_HANDLERS, **TEST_HANDLERS}
    calls.clear()
    failing.clear()
    yield
    calls.clear()
    failing.clear()


def _enqueue_and_commit(capture, topic="tests.outbox.record", payload=None):
    with capture(execute=True), transaction.atomic():
        message = outbox.enqueue(topic=topic, payload=payload or {"tender_id": 7})
    message.refresh_from_db()
    return message


@pytest.mark.django_db
def test_enqueue_writes_the_row_inside_the_transaction_and_dispatches_after_commit(
    django_capture_on_commit_callbacks,
):
    # given a service's transaction
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        # when it enqueues a message
        message = outbox.enqueue(topic="tests.outbox.record", payload={"tender_id": 7})
        # then the row exists in the transaction, and nothing ran yet
        assert OutboxMessage.objects.filter(pk=message.pk).count() == 1
        assert calls == {}

    # then after the commit the handler ran exactly once and the message is processed
    assert len(callbacks) == 1
    assert calls == {"tests.outbox.record": [{"tender_id": 7}]}
    message.refresh_from_db()
    assert message.status == OutboxStatus.PROCESSED
    assert message.attempts == 1
    assert message.processed_at is not None
    assert message.last_error == ""


@pytest.mark.django_db
def test_nothing_is_written_or_dispatched_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks,
):
    # given a service that fails after enqueueing
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        outbox.enqueue(topic="tests.outbox.record", payload={"tender_id": 7})
        1 / 0  # noqa: B018

    # then no row is left, no dispatch was registered and no handler ran
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []
    assert calls == {}


@pytest.mark.django_db(transaction=True)
def test_a_real_commit_dispatches_once_and_a_rollback_dispatches_nothing():
    # given real transactions (no test transaction around them)
    with mock.patch.object(outbox_dispatch, "delay", wraps=outbox_dispatch.delay) as delay:
        # when one commits and one rolls back
        with transaction.atomic():
            committed = outbox.enqueue(topic="tests.outbox.record", payload={"n": 1})
        with pytest.raises(ZeroDivisionError), transaction.atomic():
            outbox.enqueue(topic="tests.outbox.record", payload={"n": 2})
            1 / 0  # noqa: B018

    # then only the committed message was dispatched, with its id only, and handled once
    delay.assert_called_once_with(committed.pk)
    assert calls == {"tests.outbox.record": [{"n": 1}]}
    assert list(OutboxMessage.objects.values_list("pk", "status")) == [
        (committed.pk, OutboxStatus.PROCESSED)
    ]


@pytest.mark.django_db(transaction=True)
def test_enqueue_refuses_to_run_outside_a_transaction():
    # when a caller forgets transaction.atomic()
    with pytest.raises(outbox.OutsideTransaction):
        outbox.enqueue(topic="tests.outbox.record", payload={"n": 1})

    # then nothing was written
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_processing_a_message_twice_runs_its_handler_once(django_capture_on_commit_callbacks):
    # given a processed message
    message = _enqueue_and_commit(django_capture_on_commit_callbacks)

    # when it is delivered again (a duplicate from the broker or the sweep)
    ran = outbox.process(message.pk)

    # then the handler does not run again
    assert ran is False
    assert calls == {"tests.outbox.record": [{"tender_id": 7}]}
    message.refresh_from_db()
    assert message.attempts == 1


@pytest.mark.django_db
def test_a_failing_handler_is_retried_by_the_sweep_with_backoff_then_given_up(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 60
    settings.OUTBOX_RETRY_BACKOFF_SECONDS = 30
    failing.add("tests.outbox.fail")
    with time_machine.travel(START, tick=False) as clock:
        # given a message whose handler fails on its first dispatch
        message = _enqueue_and_commit(django_capture_on_commit_callbacks, topic="tests.outbox.fail")
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
        assert message.last_error == "RuntimeError: mail server unreachable"
        assert message.available_at == START + datetime.timedelta(seconds=30)

        # when the sweep runs before the message is due
        clock.shift(30)
        assert outbox_sweep.delay().get() == 0
        # then it is left alone
        message.refresh_from_db()
        assert message.attempts == 1

        # when the sweep runs once the message is old enough and due
        clock.shift(31)
        assert outbox_sweep.delay().get() == 1
        # then the handler ran again, and the next retry waits twice as long
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 2)
        assert message.available_at == START + datetime.timedelta(seconds=61 + 60)
        assert message.swept_at == START + datetime.timedelta(seconds=61)

        # when the sweep runs again after that
        clock.shift(61)
        assert outbox_sweep.delay().get() == 1
        # then the third failure gives up: the message is failed for an operator to see
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
        assert message.last_error == "RuntimeError: mail server unreachable"
        assert message.processed_at is None

        # and later sweeps never pick it up again
        clock.shift(3600)
        assert outbox_sweep.delay().get() == 0
    message.refresh_from_db()
    assert message.attempts == 3
    assert len(calls["tests.outbox.fail"]) == 3


@pytest.mark.django_db
def test_the_sweep_dispatches_a_message_whose_dispatch_was_lost(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 60
    with time_machine.travel(START, tick=False) as clock:
        # given the broker is down when the service commits
        with mock.patch.object(
            outbox_dispatch, "delay", side_effect=ConnectionError("Redis is down")
        ) as delay:
            message = _enqueue_and_commit(django_capture_on_commit_callbacks)
        # then the commit did not fail: the message waits, and the loss is logged
        delay.assert_called_once_with(message.pk)
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, 0)
        assert calls == {}
        assert f"Outbox message {message.pk} was not dispatched" in caplog.text

        # when the sweep runs before OUTBOX_SWEEP_AFTER_SECONDS have passed
        clock.shift(59)
        # then it leaves the young message to its own dispatch
        assert outbox.sweep() == 0

        # when the broker is back and the sweep runs after them
        clock.shift(2)
        assert outbox.sweep() == 1

    # then the handler ran once
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 1)
    assert calls == {"tests.outbox.record": [{"tender_id": 7}]}


@pytest.mark.django_db
def test_the_sweep_resends_a_pending_message_at_most_once_per_period(
    settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_SWEEP_AFTER_SECONDS = 60
    with (
        time_machine.travel(START, tick=False) as clock,
        mock.patch.object(outbox_dispatch, "delay", side_effect=ConnectionError("down")) as delay,
    ):
        # given a message whose dispatch was lost, and a broker that still loses it
        message = _enqueue_and_commit(django_capture_on_commit_callbacks)
        clock.shift(61)
        # when the sweep runs twice within a period
        first = outbox.sweep()
        clock.shift(30)
        second = outbox.sweep()

    # then the second sweep did not send it again (each time the broker refused: 0 accepted)
    assert (first, second) == (0, 0)
    assert delay.call_count == 2  # the commit's dispatch and the first sweep's
    message.refresh_from_db()
    assert message.swept_at == START + datetime.timedelta(seconds=61)
    assert message.status == OutboxStatus.PENDING


@pytest.mark.django_db
def test_a_message_without_a_handler_is_recorded_as_failing(django_capture_on_commit_callbacks):
    # when a message's topic has no handler
    message = _enqueue_and_commit(django_capture_on_commit_callbacks, topic="tests.outbox.nobody")

    # then its error says so and it waits for the sweep
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error == "UnknownTopic: No outbox handler for topic 'tests.outbox.nobody'."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"password": "hunter2"},
        {"bid": {"plaintext": "price 100"}},
        {"tokens": [{"token": "pnj_x_y"}]},
        {"member": 3, "passphrase": "open sesame"},
    ],
)
def test_a_payload_naming_a_secret_is_refused(payload, django_capture_on_commit_callbacks):
    # when a service tries to put a secret into a message
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(outbox.SecretInPayload, match="looks like a secret"),
        transaction.atomic(),
    ):
        outbox.enqueue(topic="tests.outbox.record", payload=payload)

    # then nothing is written or dispatched
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


def test_every_topic_names_a_handler_that_imports():
    # given the topic map of the settings (one handler per topic: its keys)
    # when Django's system checks run
    errors = outbox_handlers_import(None)

    # then every path imports and is callable, and the platform's topics are all there
    assert errors == []
    assert {
        "core.notify",
        "core.notification_email",
        "accounts.send_email_verification",
        "accounts.send_password_reset",
        "suppliers.send_representative_invitation",
    } <= set(outbox.registered_topics())


def test_a_handler_path_that_does_not_import_is_a_system_check_error(settings):
    # given a topic mapped to a function that does not exist
    settings.OUTBOX_HANDLERS = {"tests.outbox.typo": "tests.core.test_outbox._recrod"}

    # when the system checks run
    errors = outbox_handlers_import(None)

    # then the check names the topic
    assert [error.id for error in errors] == ["core.E001"]
    assert "'tests.outbox.typo'" in errors[0].msg


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_skips_a_message_another_worker_is_processing():
    # given a message whose handler is running in another worker (holding the row lock)
    with mock.patch.object(outbox_dispatch, "delay"), transaction.atomic():
        message = outbox.enqueue(topic="tests.outbox.slow", payload={})
    slow_started.clear()
    slow_release.clear()
    results = []
    worker = threading.Thread(
        target=lambda: (results.append(outbox.process(message.pk)), connection.close())
    )
    try:
        worker.start()
        assert slow_started.wait(10)

        # when a second worker receives the same message
        second = outbox.process(message.pk)

        # then it does not wait for the lock and does not run the handler
        assert second is False
    finally:
        slow_release.set()
        worker.join(10)
    assert results == [True]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 1)
