"""Operators see the outbox in the admin and give failed messages another round."""

import pytest
from django.db import transaction

from accounts.models import Role
from audit.models import Event
from core import outbox
from core.models import OutboxMessage, OutboxStatus
from tests.factories import login, make_member

CHANGELIST = "/admin/core/outboxmessage/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed_message(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = outbox.enqueue(topic="tests.admin.nobody", payload={"tender_id": 3})
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    return message


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
    client, failed_message, django_capture_on_commit_callbacks
):
    client, user = _operator(client, superuser=True)
    outbox.handler("tests.admin.nobody")(lambda message: None)
    try:
        # when the operator retries it
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                CHANGELIST, {"action": "requeue", "_selected_action": [failed_message.pk]}
            )
    finally:
        del outbox._handlers["tests.admin.nobody"]

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
