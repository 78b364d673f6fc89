"""Notifications: in-app messages and their emails, in each recipient's language.

`notify` is called by any app's service inside its transaction. It writes ONE
outbox message holding the recipients' ids and the *untranslated* title and
body (their msgids) with their parameters; after the commit, the handler
(`notifications.outbox_handlers`) renders them once per recipient in that
recipient's language, writes one `Notification` each and queues one email each.

    from django.utils.translation import gettext_lazy as _
    from notifications.services import notify

    notify(
        recipients=[officer, approver],
        kind="tender.submitted_for_approval",
        title=_("Tender %(reference)s awaits your approval"),
        body=_("%(officer)s submitted it on %(date)s."),
        url=tender.get_absolute_url(),
        context={"reference": tender.reference, "officer": officer.name, "date": "…"},
    )

Title and body are `gettext_lazy(...)` (or `gettext_noop(...)`) strings; the
context's values are JSON values, lazy strings which are translated per
recipient too (e.g. a state's label), or dates and moments (`datetime.date`,
aware `datetime.datetime`), which each recipient reads in their language: the
platform's time zone (Tehran), the Jalali calendar and Persian digits in
Persian, Gregorian in English. When a context is given, a literal "%"
in the text is written "%%". Plural forms and message contexts (ngettext_lazy,
pgettext_lazy) are not carried: word the message without them. Nothing
secret ever goes into a notification: it is stored and emailed in clear.
"""

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from core.models import OutboxMessage
from core.outbox import enqueue
from core.templatetags.panjere import localdate, localdatetime

from .exceptions import NotRecipient
from .models import Notification

NOTIFY_TOPIC = "core.notify"
EMAIL_TOPIC = "core.notification_email"


def _msgid(text) -> str:
    """The untranslated message behind a lazy translation (a plain string is kept)."""
    if isinstance(text, Promise):
        with translation.override(None):
            return str(text)
    return str(text)


def _user_id(recipient) -> int:
    return recipient if isinstance(recipient, int) else recipient.pk


def _check_url(url: str) -> None:
    # Shown as a link and emailed: only our own paths or an http(s) address.
    if url and not (
        (url.startswith("/") and not url.startswith("//"))
        or url.startswith(("https://", "http://"))
    ):
        raise ValueError(f"A notification's url must be a path or an http(s) URL, not {url!r}.")


def _param(key, value, translated, moments, days):
    if key in translated:
        return translation.gettext(value)
    if key in moments:
        return localdatetime(datetime.datetime.fromisoformat(value))
    if key in days:
        return localdate(datetime.date.fromisoformat(value))
    return value


def render_message(
    msgid: str,
    params: dict,
    translated: Iterable[str] = (),
    moments: Iterable[str] = (),
    days: Iterable[str] = (),
) -> str:
    """Translate `msgid` in the active language and fill in its parameters.

    The parameters named in `translated` are msgids, translated too; those in
    `moments` and `days` are ISO moments and dates, written in the active
    language's calendar and digits (moments in the platform's time zone).
    """
    if not msgid:
        return ""
    text = translation.gettext(msgid)
    if not params:
        return text
    translated, moments, days = set(translated), set(moments), set(days)
    values = {key: _param(key, value, translated, moments, days) for key, value in params.items()}
    return text % values


def notify(
    *,
    recipients,
    kind: str,
    title,
    body="",
    url: str = "",
    context: dict | None = None,
    email: bool = True,
) -> OutboxMessage | None:
    """Queue a notification to `recipients` (users or user ids), delivered after commit.

    Returns the outbox message, or None when there is nobody to notify.
    """
    recipient_ids = list(dict.fromkeys(_user_id(recipient) for recipient in recipients))
    if not recipient_ids:
        return None
    _check_url(url)
    params, translated, moments, days = {}, [], [], []
    for key, value in (context or {}).items():
        if isinstance(value, Promise):
            params[key] = _msgid(value)
            translated.append(key)
        elif isinstance(value, datetime.datetime):
            if timezone.is_naive(value):
                raise ValueError(f"A notification's moment must be aware: {key}={value!r}.")
            params[key] = value.isoformat()
            moments.append(key)
        elif isinstance(value, datetime.date):
            params[key] = value.isoformat()
            days.append(key)
        else:
            params[key] = value
    payload = {
        "recipients": recipient_ids,
        "kind": kind,
        "title": _msgid(title),
        "body": _msgid(body),
        "params": params,
        "translated_params": translated,
        "moment_params": moments,
        "day_params": days,
        "url": url,
        "email": email,
    }
    # A missing parameter is the caller's bug: fail now, not later in a worker.
    with translation.override(None):
        render_message(payload["title"], params, translated, moments, days)
        render_message(payload["body"], params, translated, moments, days)
    with transaction.atomic():
        return enqueue(topic=NOTIFY_TOPIC, payload=payload)


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of `actor`'s notifications read (the first reading time is kept).

    Not audited: it changes only the reader's own inbox, decides nothing and
    touches no procurement record; that a notice was delivered is already
    shown by the Notification row and the audit event of the action behind it.
    """
    if notification.recipient_id != actor.pk:
        raise NotRecipient()
    if notification.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
                read_at=now
            )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    """Mark every unread notification of `actor` read; return how many were."""
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
            read_at=timezone.now()
        )
