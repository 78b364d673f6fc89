"""Sending one e-mail for one outbox message, however often the message is retried.

The outbox's `@calls_outside` handlers send mail outside any transaction, with
the message's idempotency key. The key becomes the e-mail's Message-ID, so a
retry after a crash is the same message to every mail server and mail program
on its way (they discard a Message-ID they already hold), not a second one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage


def message_id(idempotency_key: str) -> str:
    """The Message-ID header of the e-mail sent under `idempotency_key`."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{idempotency_key}@{domain}>"


def send_once(*, subject: str, body: str, to: str, idempotency_key: str) -> int:
    """Send a plain-text e-mail to one address; returns how many were sent (0 or 1).

    `subject` is made one line (mail headers refuse newlines).
    """
    email = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={"Message-ID": message_id(idempotency_key)},
    )
    return email.send()
