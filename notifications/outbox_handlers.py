"""Outbox handlers of notifications: delivering them (in-app, then by email).

Each handler is idempotent: the outbox may deliver a message more than once.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.mail import send_once
from core.models import OutboxMessage
from core.outbox import OutsideCall, calls_outside, enqueue

from .models import Notification
from .services import EMAIL_TOPIC, render_message

TITLE_MAX_LENGTH = Notification._meta.get_field("title").max_length


def recipient_language(user) -> str:
    """The user's chosen language if the platform offers it, else the default."""
    if user.language in dict(settings.LANGUAGES):
        return user.language
    return settings.LANGUAGE_CODE


def deliver_notification(message: OutboxMessage) -> None:
    """Write one Notification per recipient in their language, and queue their emails."""
    payload = message.payload
    done = set(Notification.objects.filter(source=message).values_list("recipient_id", flat=True))
    users = (
        get_user_model()
        .objects.filter(pk__in=payload["recipients"], is_active=True)
        .exclude(pk__in=done)
        .order_by("pk")
    )
    params = payload.get("params") or {}
    # Dates and moments in each recipient's calendar, digits and the platform's time zone.
    dated = {
        "translated": payload.get("translated_params") or [],
        "moments": payload.get("moment_params") or [],
        "days": payload.get("day_params") or [],
    }
    for user in users:
        language = recipient_language(user)
        with translation.override(language):
            title = render_message(payload["title"], params, **dated)
            body = render_message(payload.get("body", ""), params, **dated)
        notification = Notification.objects.create(
            recipient=user,
            kind=payload["kind"],
            title=title[:TITLE_MAX_LENGTH],
            body=body,
            url=payload.get("url", ""),
            language=language,
            source=message,
        )
        if payload.get("email", True) and user.email:
            # One message per email: a failing mail server retries that email only.
            enqueue(topic=EMAIL_TOPIC, payload={"notification_id": notification.pk})


@calls_outside
def email_notification(message: OutboxMessage) -> OutsideCall | None:
    """Send a notification's email once, in the language it was written in.

    Rendered in the outbox's first transaction, sent outside any transaction
    under the message's key (its Message-ID), and marked emailed in the second.
    """
    notification = (
        Notification.objects.select_related("recipient")
        .filter(pk=message.payload["notification_id"], emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.recipient.is_active:
        return None  # already sent, deleted, or the account was closed meanwhile
    recipient = notification.recipient
    with translation.override(notification.language):
        context = {
            "recipient_name": recipient.name or recipient.email,
            "title": notification.title,
            "body": notification.body,
            "link": urljoin(settings.SITE_URL, notification.url) if notification.url else "",
            "inbox_link": urljoin(settings.SITE_URL, reverse("notifications:inbox")),
        }
        subject = render_to_string("notifications/email/notification_subject.txt", context)
        text = render_to_string("notifications/email/notification_body.txt", context)
    address = recipient.email

    def send(key: str) -> int:
        return send_once(subject=subject, body=text, to=address, idempotency_key=key)

    def record(_sent) -> None:
        Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )

    return OutsideCall(send=send, record=record)
