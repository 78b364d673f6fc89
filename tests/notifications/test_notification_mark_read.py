"""Marking notifications read: only one's own, the first reading time kept."""

import datetime

import pytest
import time_machine

from audit.models import Event
from core.models import OutboxMessage
from notifications.exceptions import NotRecipient
from notifications.models import Notification
from notifications.selectors import notification_list, notification_unread_count
from notifications.services import notification_mark_all_read, notification_mark_read
from tests.factories import UserFactory

MORNING = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def make_notification(user, title="Tender T-7 was published", **fields):
    return Notification.objects.create(
        recipient=user, kind="tender.published", title=title, language="en", **fields
    )


@pytest.mark.django_db
def test_the_recipient_marks_a_notification_read():
    # given an unread notification
    user = UserFactory()
    notification = make_notification(user)

    # when its recipient marks it read
    with time_machine.travel(MORNING, tick=False):
        result = notification_mark_read(actor=user, notification=notification)

    # then it is read at that moment, and the count drops
    assert result.read_at == MORNING
    notification.refresh_from_db()
    assert notification.read_at == MORNING
    assert notification_unread_count(user=user) == 0
    # and, as a change to one's own inbox only, it is not audited and queues nothing
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_marking_read_again_keeps_the_first_reading_time():
    # given a notification read in the morning
    user = UserFactory()
    notification = make_notification(user, read_at=MORNING)

    # when it is marked read again later
    with time_machine.travel(MORNING + datetime.timedelta(hours=5), tick=False):
        notification_mark_read(actor=user, notification=notification)

    # then the first reading time stays
    notification.refresh_from_db()
    assert notification.read_at == MORNING


@pytest.mark.django_db
def test_nobody_marks_someone_elses_notification_read():
    # given another user's unread notification
    owner, other = UserFactory(), UserFactory()
    notification = make_notification(owner)

    # when someone else tries to mark it read
    with pytest.raises(NotRecipient) as refused:
        notification_mark_read(actor=other, notification=notification)

    # then it is refused with its code, and nothing changed
    assert refused.value.code == "api.permission_denied"
    notification.refresh_from_db()
    assert notification.read_at is None
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_mark_all_read_touches_only_the_actors_unread_notifications():
    # given two unread and one read notification, and another user's unread one
    user, other = UserFactory(), UserFactory()
    read_earlier = make_notification(user, read_at=MORNING)
    make_notification(user)
    make_notification(user)
    others = make_notification(other)

    # when the user marks all read
    with time_machine.travel(MORNING + datetime.timedelta(days=1), tick=False):
        count = notification_mark_all_read(actor=user)

    # then two were marked; the earlier reading time and the other user's stay
    assert count == 2
    assert notification_unread_count(user=user) == 0
    read_earlier.refresh_from_db()
    assert read_earlier.read_at == MORNING
    others.refresh_from_db()
    assert others.read_at is None
    assert notification_unread_count(user=other) == 1


@pytest.mark.django_db
def test_the_list_is_the_users_own_newest_first():
    # given notifications of two users, created at different times
    user, other = UserFactory(), UserFactory()
    old = make_notification(user, title="old", created_at=MORNING)
    new = make_notification(user, title="new", created_at=MORNING + datetime.timedelta(hours=1))
    make_notification(other, title="someone else's")

    # when the user's notifications are listed
    everything = list(notification_list(user=user))
    unread = list(notification_list(user=user, unread_only=True))

    # then only theirs, newest first
    assert everything == [new, old]
    assert unread == [new, old]
