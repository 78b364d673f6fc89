"""The supplier's tender items on the one-window dashboard: closing soon, new answers."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from core.clock import db_now
from core.dashboard import ActionItem
from core.templatetags.panjere import localdatetime, localnumber

from . import selectors

CLOSING_WITHIN = datetime.timedelta(days=7)
NEW_ANSWERS_WITHIN = datetime.timedelta(days=7)


def supplier_tender_items(user) -> list[ActionItem]:
    """Followed tenders closing within 7 days; answers to my questions of the last 7 days."""
    if not user.is_authenticated:
        return []
    now = db_now()
    items = [
        ActionItem(
            title=_("Tender %(reference)s closes on %(date)s")
            % {"reference": tender.reference, "date": localdatetime(tender.submission_deadline)},
            detail=tender.title,
            url=reverse("tenders:notice", kwargs={"key": tender.pk}),
            level="warning",
        )
        for tender in selectors.followed_closing_within(user=user, now=now, within=CLOSING_WITHIN)
    ]
    answers = list(
        selectors.questions_of_user(user=user).filter(
            answered_at__isnull=False, answered_at__gte=now - NEW_ANSWERS_WITHIN
        )
    )
    if answers:
        items.append(
            ActionItem(
                title=_("New answers to your questions: %(count)s")
                % {"count": localnumber(len(answers))},
                detail=", ".join(dict.fromkeys(a.tender.reference for a in answers)),
                url=reverse("tenders:questions"),
                count=len(answers),
            )
        )
    return items
