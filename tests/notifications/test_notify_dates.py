"""Dates and moments in notifications: each recipient reads them in their calendar, digits and
the platform's time zone, in the in-app message and the e-mail alike."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 09:00 UTC is 12:30 in Tehran.
DEADLINE = datetime.datetime(2029, 7, 6, 9, 0, tzinfo=datetime.UTC)
# The reminder's own message, translated in the project's catalogue.
REMINDER = gettext_lazy(
    "The submission deadline of “%(title)s”, %(deadline)s, is less than 24 hours away."
)
# A title outside the catalogue (makemessages does not look for this alias).
outside_catalogue = gettext_lazy
EXPIRY = gettext_lazy("“%(kind)s” expires on %(date)s. Upload the renewed document before then.")


def test_a_deadline_reads_in_each_recipients_calendar_and_tehran_time(
    django_capture_on_commit_callbacks,
):
    english, persian = UserFactory(language="en"), UserFactory(language="fa")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            recipients=[english, persian],
            kind="tender.reminder_24h",
            title=gettext_lazy("Tender %(reference)s closes in 24 hours"),
            body=REMINDER,
            context={"reference": "T-DEMO-001", "title": "Road", "deadline": DEADLINE},
        )

    assert Notification.objects.get(recipient=english).body == (
        "The submission deadline of “Road”, 6 July 2029, 12:30, is less than 24 hours away."
    )
    assert Notification.objects.get(recipient=persian).body == (
        "کمتر از ۲۴ ساعت تا مهلت ارسال پیشنهاد «Road»، ۱۶ تیر ۱۴۰۸، ۱۲:۳۰، مانده است."
    )
    # and the e-mails say the same
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "6 July 2029, 12:30" in bodies[english.email]
    assert "۱۶ تیر ۱۴۰۸، ۱۲:۳۰" in bodies[persian.email]


def test_a_date_reads_in_each_recipients_calendar(django_capture_on_commit_callbacks):
    english, persian = UserFactory(language="en"), UserFactory(language="fa")

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(
            recipients=[english, persian],
            kind="supplier.document_expiring",
            title=outside_catalogue("A document expires soon"),
            body=EXPIRY,
            context={"kind": "Tax clearance", "date": datetime.date(2026, 3, 20)},
            email=False,
        )

    assert Notification.objects.get(recipient=english).body.startswith(
        "“Tax clearance” expires on 20 March 2026."
    )
    assert "۲۹ اسفند ۱۴۰۴" in Notification.objects.get(recipient=persian).body


def test_a_moment_without_a_time_zone_is_refused_in_the_service():
    with pytest.raises(ValueError, match="must be aware"):
        notify(
            recipients=[UserFactory()],
            kind="tender.reminder_24h",
            title=gettext_lazy("Tender %(reference)s closes in 24 hours"),
            body=REMINDER,
            context={"reference": "T", "title": "R", "deadline": datetime.datetime(2029, 7, 6)},
        )
