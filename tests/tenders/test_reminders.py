"""Followers are reminded 24 hours and 1 hour before the submission deadline, once each."""

import pytest

from core.clock import frozen_at
from core.models import OutboxMessage
from notifications.services import NOTIFY_TOPIC
from tenders import services, tasks
from tenders.models import TenderReminder

from .factories import HOUR, SUBMISSION_DEADLINE, plain_user, tender_in_state

pytestmark = pytest.mark.django_db
MINUTE = HOUR / 60


def reminders():
    return sorted(TenderReminder.objects.values_list("user_id", "kind"))


def notifications():
    return [
        (message.payload["kind"], message.payload["recipients"])
        for message in OutboxMessage.objects.filter(
            topic=NOTIFY_TOPIC, payload__kind__startswith="tender.reminder"
        ).order_by("pk")
    ]


@pytest.fixture
def followed():
    tender, _team = tender_in_state("published")
    first, second = plain_user(), plain_user()
    services.tender_follow(actor=first, tender=tender)
    services.tender_follow(actor=second, tender=tender)
    return tender, first, second


def test_nothing_is_sent_more_than_24_hours_before(followed):
    # when
    with frozen_at(SUBMISSION_DEADLINE - 24 * HOUR - MINUTE):
        sent = tasks.send_deadline_reminders()

    # then
    assert sent == 0
    assert reminders() == []
    assert notifications() == []


def test_the_24_hour_and_1_hour_reminders_are_sent_once_each(followed):
    # given
    tender, first, second = followed

    # when: 24 hours before, twice
    with frozen_at(SUBMISSION_DEADLINE - 24 * HOUR):
        assert tasks.send_deadline_reminders() == 2
        assert tasks.send_deadline_reminders() == 0

    # then
    assert reminders() == [(first.pk, "24h"), (second.pk, "24h")]
    assert notifications() == [("tender.reminder_24h", [first.pk, second.pk])]
    message = OutboxMessage.objects.get(payload__kind="tender.reminder_24h")
    assert message.payload["title"] == "Tender %(reference)s closes in 24 hours"
    assert message.payload["params"] == {
        "reference": tender.reference,
        "title": tender.title,
        "deadline": SUBMISSION_DEADLINE.isoformat(),
    }
    # the deadline is written in each follower's calendar and Tehran time when delivered
    assert message.payload["moment_params"] == ["deadline"]
    assert message.payload["email"] is True
    assert message.payload["url"] == f"/tenders/{tender.pk}/"

    # and when: two hours later, nothing; one hour before, the second reminder, once
    with frozen_at(SUBMISSION_DEADLINE - 22 * HOUR):
        assert tasks.send_deadline_reminders() == 0
    with frozen_at(SUBMISSION_DEADLINE - 55 * MINUTE):
        assert tasks.send_deadline_reminders() == 2
        assert tasks.send_deadline_reminders() == 0

    # then
    assert reminders() == [
        (first.pk, "1h"),
        (first.pk, "24h"),
        (second.pk, "1h"),
        (second.pk, "24h"),
    ]
    assert notifications() == [
        ("tender.reminder_24h", [first.pk, second.pk]),
        ("tender.reminder_1h", [first.pk, second.pk]),
    ]


def test_a_late_follower_gets_the_remaining_reminder_only(followed):
    # given
    tender, _first, _second = followed
    with frozen_at(SUBMISSION_DEADLINE - 20 * HOUR):
        tasks.send_deadline_reminders()
    late = plain_user()
    services.tender_follow(actor=late, tender=tender)

    # when
    with frozen_at(SUBMISSION_DEADLINE - 30 * MINUTE):
        sent = tasks.send_deadline_reminders()

    # then
    assert sent == 3
    assert [r for r in reminders() if r[0] == late.pk] == [(late.pk, "1h")]


def test_nothing_is_sent_after_the_deadline_or_for_a_cancelled_tender(followed):
    # given
    tender, _first, _second = followed
    from tenders import services as tender_services

    officer = tender.created_by
    tender_services.tender_cancel(actor=officer, tender=tender, reason="Withdrawn")

    # when
    with frozen_at(SUBMISSION_DEADLINE - 30 * MINUTE):
        sent = tasks.send_deadline_reminders()

    # then
    assert sent == 0
    assert reminders() == []
