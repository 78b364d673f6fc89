"""Who hears about each step of a tender, and what they are told.

Called by the services inside their transactions; `notify` writes one outbox
row, rendered per recipient in their own language after the commit.
"""

from django.utils.translation import gettext_lazy as _

from notifications.services import notify

from .models import Follow, Tender

MESSAGES = {
    "submitted_for_approval": (
        _("Tender %(reference)s awaits your approval"),
        _("“%(title)s” was submitted for approval. Approve and publish it, or return it."),
    ),
    "returned_to_draft": (
        _("Tender %(reference)s was returned to you"),
        _("The approver returned “%(title)s” with reasons. Open it to read them."),
    ),
    "published": (
        _("Tender %(reference)s is published"),
        _("“%(title)s” is public and open for bids."),
    ),
    "cancelled": (
        _("Tender %(reference)s is cancelled"),
        _("“%(title)s” was cancelled. The reason is on the notice."),
    ),
    "closed": (
        _("Tender %(reference)s is closed"),
        _("The submission deadline of “%(title)s” has passed; no more bids are accepted."),
    ),
    "unsuccessful": (
        _("Tender %(reference)s is unsuccessful"),
        _("“%(title)s” ended without a result. The reason is on the notice."),
    ),
    "question_asked": (
        _("A question on tender %(reference)s"),
        _("A supplier asked a question about “%(title)s”. Answer it for everyone."),
    ),
    "question_answered": (
        _("A question on tender %(reference)s was answered"),
        _("A new clarification of “%(title)s” is published."),
    ),
    "amended": (
        _("Tender %(reference)s is amended (amendment %(number)s)"),
        _("“%(title)s” was amended: %(summary)s"),
    ),
    "invited": (
        _("Your company is invited to tender %(reference)s"),
        _(
            "“%(title)s” is published and restricted to invited suppliers: your company is "
            "invited. Read the notice, ask your questions before the clarification deadline "
            "and prepare your bid."
        ),
    ),
    "extended_after_outage": (
        _("The deadline of tender %(reference)s is extended"),
        _(
            "The platform was unavailable close to the submission deadline of “%(title)s”; "
            "the deadline is extended to %(deadline)s (amendment %(number)s)."
        ),
    ),
}


def tender_url(tender: Tender) -> str:
    return f"/tenders/{tender.pk}/"


def followers(tender: Tender) -> list[int]:
    return list(
        Follow.objects.filter(tender=tender, user__is_active=True)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def notify_tender(tender: Tender, *, event: str, recipients, exclude=None, **context):
    """Tell `recipients` (users or ids; duplicates and `exclude` dropped) what happened."""
    title, body = MESSAGES[event]
    excluded = {getattr(exclude, "pk", exclude)} if exclude is not None else set()
    ids = [
        recipient if isinstance(recipient, int) else recipient.pk
        for recipient in recipients
        if recipient is not None
    ]
    return notify(
        recipients=[user_id for user_id in dict.fromkeys(ids) if user_id not in excluded],
        kind=f"tender.{event}",
        title=title,
        body=body,
        url=tender_url(tender),
        context={"reference": tender.reference, "title": tender.title, **context},
    )
