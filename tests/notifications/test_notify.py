"""notify(): one outbox row; per recipient, one notification and one email in their language."""

import pytest
from django.core import mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy

from core import outbox
from core.models import OutboxMessage, OutboxStatus
from notifications.models import Notification
from notifications.services import EMAIL_TOPIC, NOTIFY_TOPIC, notify
from tests.factories import UserFactory

# A msgid Django's own catalogue already translates into Persian. The alias keeps
# this test-only text out of the project's catalogue (makemessages looks for
# gettext_lazy and _, not for this name).
django_lazy = gettext_lazy
TAKEN = django_lazy("%(model_name)s with this %(field_label)s already exists.")
TAKEN_IN_PERSIAN = "Tender با این reference از قبل موجود است."


def _notify_and_deliver(capture, **kwargs):
    with capture(execute=True), transaction.atomic():
        message = notify(**kwargs)
    return message


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://panjere.example"


@pytest.mark.django_db
def test_notify_writes_one_outbox_row_with_untranslated_text_and_ids_only():
    # given two recipients, one of them Persian, and a request in Persian
    english, persian = UserFactory(language="en"), UserFactory(language="fa")

    # when a service notifies them, inside its transaction
    with translation.override("fa"), transaction.atomic():
        message = notify(
            recipients=[english, persian.pk, english],
            kind="tender.duplicate",
            title=TAKEN,
            url="/tenders/7/",
            context={"model_name": "Tender", "field_label": "reference"},
        )

    # then one outbox row holds the msgid (not the Persian text), ids and parameters
    assert OutboxMessage.objects.count() == 1
    assert message.topic == NOTIFY_TOPIC
    assert message.payload == {
        "recipients": [english.pk, persian.pk],
        "kind": "tender.duplicate",
        "title": "%(model_name)s with this %(field_label)s already exists.",
        "body": "",
        "params": {"model_name": "Tender", "field_label": "reference"},
        "translated_params": [],
        "moment_params": [],
        "day_params": [],
        "url": "/tenders/7/",
        "email": True,
    }
    # and nothing is delivered before the commit
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_each_recipient_gets_the_title_in_their_own_language(django_capture_on_commit_callbacks):
    # given an English, a Persian and a user who never chose (the default, English)
    english = UserFactory(language="en", email="en@example.org")
    persian = UserFactory(language="fa", email="fa@example.org")
    undecided = UserFactory(language="", email="default@example.org")

    # when they are notified from a request in Persian
    with translation.override("fa"):
        message = _notify_and_deliver(
            django_capture_on_commit_callbacks,
            recipients=[english, persian, undecided],
            kind="tender.duplicate",
            title=TAKEN,
            context={"model_name": "Tender", "field_label": "reference"},
        )

    # then each notification is rendered in its recipient's language
    titles = {
        n.recipient.email: (n.language, n.title)
        for n in Notification.objects.filter(source=message).select_related("recipient")
    }
    assert titles == {
        "en@example.org": ("en", "Tender with this reference already exists."),
        "fa@example.org": ("fa", TAKEN_IN_PERSIAN),
        "default@example.org": ("en", "Tender with this reference already exists."),
    }
    message.refresh_from_db()
    assert message.status == OutboxStatus.PROCESSED


@pytest.mark.django_db
def test_the_msgid_and_lazy_parameters_are_translated_per_recipient(
    monkeypatch, django_capture_on_commit_callbacks
):
    # given a (patched) Persian catalogue for our own messages
    catalogue = {
        "Tender %(reference)s is now %(state)s": "مناقصه %(reference)s اکنون %(state)s است",
        "Published": "منتشرشده",
        "Read the notice.": "آگهی را بخوانید.",
    }
    real_gettext = translation.gettext

    def gettext(message):
        if translation.get_language() == "fa" and message in catalogue:
            return catalogue[message]
        return real_gettext(message)

    monkeypatch.setattr(translation, "gettext", gettext)
    english, persian = UserFactory(language="en"), UserFactory(language="fa")

    # when a service notifies them with a lazy title, body and a lazy parameter
    _notify_and_deliver(
        django_capture_on_commit_callbacks,
        recipients=[english, persian],
        kind="tender.state_changed",
        title=django_lazy("Tender %(reference)s is now %(state)s"),
        body=django_lazy("Read the notice."),
        context={"reference": "T-1404-0007", "state": django_lazy("Published")},
        email=False,
    )

    # then each recipient reads it in their language, the parameter translated too
    assert (
        Notification.objects.get(recipient=english).title == "Tender T-1404-0007 is now Published"
    )
    assert Notification.objects.get(recipient=persian).title == (
        "مناقصه T-1404-0007 اکنون منتشرشده است"
    )
    assert Notification.objects.get(recipient=persian).body == "آگهی را بخوانید."


@pytest.mark.django_db
def test_each_recipient_gets_one_email_with_the_exact_subject(django_capture_on_commit_callbacks):
    # given two recipients
    first = UserFactory(language="en", email="first@example.org", name="Ada")
    second = UserFactory(language="en", email="second@example.org", name="Grace")

    # when they are notified
    _notify_and_deliver(
        django_capture_on_commit_callbacks,
        recipients=[first, second],
        kind="tender.published",
        title="Tender %(reference)s was published",
        body="Bids are due on %(deadline)s.",
        url="/tenders/7/",
        context={"reference": "T-7", "deadline": "1 April 2026"},
    )

    # then each got one email of their own, with the exact subject and text
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Panjere] Tender T-7 was published", ["first@example.org"]),
        ("[Panjere] Tender T-7 was published", ["second@example.org"]),
    ]
    assert mail.outbox[0].body == (
        "Hello Ada,\n"
        "\n"
        "Tender T-7 was published\n"
        "\n"
        "Bids are due on 1 April 2026.\n"
        "\n"
        "Open it on Panjere: https://panjere.example/tenders/7/\n"
        "\n"
        "All your notifications: https://panjere.example/notifications/\n"
        "\n"
        "This message was sent by Panjere. Please do not reply to it.\n"
    )
    # and each email is marked sent on its notification
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    assert set(OutboxMessage.objects.values_list("topic", "status")) == {
        (NOTIFY_TOPIC, OutboxStatus.PROCESSED),
        (EMAIL_TOPIC, OutboxStatus.PROCESSED),
    }


@pytest.mark.django_db
def test_handling_the_message_twice_writes_one_notification_and_one_email_per_recipient(
    django_capture_on_commit_callbacks,
):
    # given a delivered notification
    users = [UserFactory(), UserFactory()]
    message = _notify_and_deliver(
        django_capture_on_commit_callbacks,
        recipients=users,
        kind="tender.published",
        title="Tender published",
    )

    # when its handlers run again (a redelivery after a crash before the processed mark)
    with django_capture_on_commit_callbacks(execute=True):
        OutboxMessage.objects.update(status=OutboxStatus.PENDING)
        for pending in OutboxMessage.objects.order_by("pk"):
            outbox.process(pending.pk)

    # then there is still one notification and one email per recipient
    assert Notification.objects.filter(source=message).count() == 2
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        user.pk for user in users
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted(user.email for user in users)


@pytest.mark.django_db
def test_a_failing_mail_server_retries_the_email_only(
    monkeypatch, django_capture_on_commit_callbacks
):
    # given a mail server that is down
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr("notifications.outbox_handlers.send_once", refuse)
    user = UserFactory()

    # when the user is notified
    _notify_and_deliver(
        django_capture_on_commit_callbacks, recipients=[user], kind="k", title="Hello"
    )

    # then the in-app notification exists; the email waits for the sweep
    notification = Notification.objects.get(recipient=user)
    assert notification.emailed_at is None
    email_message = OutboxMessage.objects.get(topic=EMAIL_TOPIC)
    assert (email_message.status, email_message.attempts) == (OutboxStatus.PENDING, 1)
    assert email_message.last_error == "ConnectionRefusedError: SMTP is down"
    assert email_message.payload == {"notification_id": notification.pk}
    assert OutboxMessage.objects.get(topic=NOTIFY_TOPIC).status == OutboxStatus.PROCESSED

    # when the mail server is back and the email is retried
    monkeypatch.undo()
    assert outbox.process(email_message.pk) is True

    # then the one email goes out and the notification is not duplicated
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert Notification.objects.filter(recipient=user).count() == 1


@pytest.mark.django_db
def test_inactive_recipients_and_in_app_only_notifications_send_no_email(
    django_capture_on_commit_callbacks,
):
    # given an active and a deactivated user
    active, inactive = UserFactory(), UserFactory(is_active=False)

    # when an in-app-only notification goes to both
    _notify_and_deliver(
        django_capture_on_commit_callbacks,
        recipients=[active, inactive],
        kind="k",
        title="Hello",
        email=False,
    )

    # then only the active user has it, and no email was queued or sent
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]
    assert OutboxMessage.objects.filter(topic=EMAIL_TOPIC).count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_nobody_to_notify_writes_nothing():
    # when a service notifies an empty list
    with transaction.atomic():
        message = notify(recipients=[], kind="k", title="Hello")

    # then nothing is queued
    assert message is None
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "//evil.example/", "tenders/7/"])
def test_a_link_that_is_not_a_path_or_web_address_is_refused(url):
    # when a notification carries an unsafe link
    with pytest.raises(ValueError, match="must be a path or an http"), transaction.atomic():
        notify(recipients=[UserFactory()], kind="k", title="Hello", url=url)

    # then nothing is queued
    assert OutboxMessage.objects.count() == 0


@pytest.mark.django_db
def test_a_missing_parameter_fails_in_the_service_not_in_the_worker():
    # when a title names a parameter the context lacks
    with pytest.raises(KeyError, match="reference"), transaction.atomic():
        notify(
            recipients=[UserFactory()],
            kind="k",
            title="Tender %(reference)s",
            context={"ref": "T-1"},
        )

    # then nothing is queued
    assert OutboxMessage.objects.count() == 0
