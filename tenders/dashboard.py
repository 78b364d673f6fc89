"""The buyer's items on the one-window dashboard: drafts, returns, approvals, questions."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dashboard import ActionItem
from core.templatetags.panjere import localnumber

from . import selectors
from .models import Clarification, TenderState


def _title(tender) -> str:
    return f"{tender.reference} · {tender.title}"


def buyer_tender_items(user) -> list[ActionItem]:
    """Officers: their drafts and returned tenders, unanswered questions; approvers: approvals."""
    if not user.is_authenticated:
        return []
    items = []
    for tender in selectors.tenders_awaiting_approval(user=user):
        items.append(
            ActionItem(
                title=_("Approve or return: %(tender)s") % {"tender": _title(tender)},
                detail=_("The officer submitted it for your approval."),
                url=reverse("tender_admin:detail", args=[tender.pk]),
                level="danger",
            )
        )
    drafts = selectors.buyer_tenders(user=user).filter(state=TenderState.DRAFT, created_by=user)
    for tender in drafts:
        returned = bool(tender.return_reasons)
        items.append(
            ActionItem(
                title=(
                    _("Returned by the approver: %(tender)s")
                    if returned
                    else _("Draft to complete: %(tender)s")
                )
                % {"tender": _title(tender)},
                detail=tender.return_reasons if returned else "",
                url=reverse("tender_admin:detail", args=[tender.pk]),
                level="danger" if returned else "warning",
            )
        )
    unanswered = (
        Clarification.objects.filter(
            tender__in=selectors.buyer_tenders(user=user).filter(
                state=TenderState.PUBLISHED, created_by=user
            ),
            answered_at__isnull=True,
        )
        .select_related("tender")
        .order_by("tender_id", "number")
    )
    by_tender: dict = {}
    for clarification in unanswered:
        by_tender.setdefault(clarification.tender, []).append(clarification)
    for tender, questions in by_tender.items():
        items.append(
            ActionItem(
                title=ngettext(
                    "%(count)s question awaits your answer: %(tender)s",
                    "%(count)s questions await your answer: %(tender)s",
                    len(questions),
                )
                % {"count": localnumber(len(questions)), "tender": _title(tender)},
                url=reverse("tender_admin:detail", args=[tender.pk]) + "#clarifications",
                count=len(questions),
                level="warning",
            )
        )
    return items
