"""Operators see the outbox in the admin and give failed messages another round, on the record."""

import pytest
from django.db import transaction

from accounts.models import Role
from audit.models import Event
from audit.outbox import outbox_requeue
from core import outbox
from core.models import OutboxMessage, OutboxStatus
from tests.factories import UserFactory, login, make_member

CHANGELIST = "/admin/core/outboxmessage/"

pytestmark = pytest.mark.django_db


def _handled(message):
    """The handler of the test topic, once an operator has fixed what made it fail."""


@pytest.fixture
def failed_message(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(topic="tests.admin.nobody", payload={"tender_id": 3})
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    return message


def _fix_handler(settings):
    settings.OUTBOX_HANDLERS = {
        **settings.OUTBOX_HANDLERS,
        "tests.admin.nobody": "tests.audit.test_outbox_requeue._handled",
    }


def test_an_operator_requeues_a_failed_message_and_it_is_audited(
    settings, failed_message, django_capture_on_commit_callbacks
):
    # given the failure's cause is fixed
    admin = UserFactory(is_superuser=True, is_staff=True)
    _fix_handler(settings)

    # when the operator gives it another round
    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_requeue(actor=admin, message_ids=[failed_message.pk])

    # then it was dispatched and handled, and the decision is on the record
    assert count == 1
    failed_message.refresh_from_db()
    assert (failed_message.status, failed_message.attempts) == (OutboxStatus.PROCESSED, 1)
    event = Event.objects.get(action="outbox.requeued")
    assert (event.actor_user, event.object_id) == (admin, str(failed_message.pk))
    assert event.payload == {"topic": "tests.admin.nobody", "attempts": 1}


def test_requeue_ignores_messages_that_did_not_fail(settings, django_capture_on_commit_callbacks):
    # given a processed message
    _fix_handler(settings)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(topic="tests.admin.nobody", payload={"tender_id": 3})
    admin = UserFactory(is_superuser=True, is_staff=True)

    # when an operator tries to requeue it
    with django_capture_on_commit_callbacks(execute=True):
        count = outbox_requeue(actor=admin, message_ids=[message.pk])

    # then nothing changed and nothing was recorded
    assert count == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.PROCESSED, 1)
    assert Event.objects.count() == 0


def _operator(client, *, superuser: bool):
    user = make_member(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=superuser)
    return login(client, user), user


def test_a_failed_message_is_visible_with_its_error(client, failed_message):
    client, _user = _operator(client, superuser=True)

    # when the operator opens the failed messages
    listing = client.get(CHANGELIST, {"status__exact": "failed"})
    detail = client.get(f"{CHANGELIST}{failed_message.pk}/change/")

    # then the message and its error are there
    assert listing.status_code == 200
    assert "tests.admin.nobody" in listing.content.decode()
    assert "UnknownTopic: No outbox handler for topic" in detail.content.decode()


def test_a_superuser_requeues_a_failed_message(
    client, settings, failed_message, django_capture_on_commit_callbacks
):
    client, user = _operator(client, superuser=True)
    _fix_handler(settings)

    # when the operator retries it
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "requeue", "_selected_action": [failed_message.pk]}
        )

    # then it runs again and the decision is audited
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert (failed_message.status, failed_message.attempts) == (OutboxStatus.PROCESSED, 1)
    assert Event.objects.filter(action="outbox.requeued", actor__user=user).count() == 1


def test_staff_who_are_not_superusers_cannot_requeue(
    client, failed_message, django_capture_on_commit_callbacks
):
    client, user = _operator(client, superuser=False)
    user.user_permissions.add(*_view_permission())

    # when a staff member without superuser rights tries
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "requeue", "_selected_action": [failed_message.pk]})

    # then nothing changed and nothing was recorded
    failed_message.refresh_from_db()
    assert (failed_message.status, failed_message.attempts) == (OutboxStatus.FAILED, 1)
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 1


def _view_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="core", codename="view_outboxmessage")
