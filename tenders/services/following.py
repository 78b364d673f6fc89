"""Following a public tender, and the reminders its followers get before the deadline."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy

from accounts.permissions import Perm, has_perm
from core.clock import db_now
from notifications.services import notify

from ..exceptions import TenderNotPublic
from ..lock_objects import tender_for_update
from ..models import Follow, Tender, TenderReminder, TenderState
from ..notifications import followers, tender_url
from ..selectors import tenders_due_for_reminder
from .steps import require


def tender_follow(*, actor, tender: Tender) -> Follow:
    """Hear about every change to a public tender. Following twice is following once.

    Not audited: a reader's own subscription decides nothing and touches no
    procurement record (as notification read marks).
    """
    require(has_perm(actor, Perm.FOLLOW_TENDERS))
    with transaction.atomic(durable=True):
        tender = Tender.objects.get(pk=tender.pk)
        if not tender.is_public:
            raise TenderNotPublic()
        follow, _created = Follow.objects.get_or_create(user=actor, tender=tender)
    return follow


def tender_unfollow(*, actor, tender: Tender) -> None:
    """Stop hearing about a tender (nothing happens if the actor did not follow it)."""
    require(has_perm(actor, Perm.FOLLOW_TENDERS))
    with transaction.atomic(durable=True):
        Follow.objects.filter(user=actor, tender=tender).delete()


REMINDERS = (
    # kind, window before the deadline (start, end], title, body
    (
        "24h",
        (datetime.timedelta(hours=1), datetime.timedelta(hours=24)),
        gettext_lazy("Tender %(reference)s closes in 24 hours"),
        gettext_lazy(
            "The submission deadline of “%(title)s”, %(deadline)s, is less than 24 hours away."
        ),
    ),
    (
        "1h",
        (datetime.timedelta(0), datetime.timedelta(hours=1)),
        gettext_lazy("Tender %(reference)s closes within the hour"),
        gettext_lazy(
            "The submission deadline of “%(title)s”, %(deadline)s, is less than an hour away."
        ),
    ),
)


def tender_send_deadline_reminders() -> int:
    """Remind followers 24 hours and 1 hour before each submission deadline (beat task).

    Idempotent: each (tender, user, kind) gets one `TenderReminder` row, written
    in the transaction that writes its notification, so a second run (or a
    concurrent one, serialised by the tender's lock) sends nothing again. A
    tender followed less than an hour before its deadline gets the 1-hour
    reminder only. Not audited: a reminder decides nothing. Returns how many
    reminders were sent.
    """
    sent = 0
    now = db_now()
    for kind, (start, end), title, body in REMINDERS:
        for tender_id in tenders_due_for_reminder(now=now, start=start, end=end).values_list(
            "pk", flat=True
        ):
            with transaction.atomic():
                tender = tender_for_update(tender_id)
                if tender.state != TenderState.PUBLISHED:
                    continue
                reminded = set(
                    TenderReminder.objects.filter(tender=tender, kind=kind).values_list(
                        "user_id", flat=True
                    )
                )
                recipients = [uid for uid in followers(tender) if uid not in reminded]
                if not recipients:
                    continue
                TenderReminder.objects.bulk_create(
                    TenderReminder(
                        tender=tender,
                        user_id=uid,
                        kind=kind,
                        deadline=tender.submission_deadline,
                        sent_at=now,
                    )
                    for uid in recipients
                )
                notify(
                    recipients=recipients,
                    kind=f"tender.reminder_{kind}",
                    title=title,
                    body=body,
                    url=tender_url(tender),
                    # The deadline is written in each follower's calendar and Tehran time.
                    context={
                        "reference": tender.reference,
                        "title": tender.title,
                        "deadline": tender.submission_deadline,
                    },
                )
                sent += len(recipients)
    return sent
