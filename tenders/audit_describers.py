"""How the audit trail's pages name tenders and outages.

Mapped to their object types in `settings.AUDIT_DESCRIBERS` (audit.describers).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.describers import SEARCH_LIMIT, ModelDescriber, in_language
from core.templatetags.panjere import localdatetime

from .models import Outage, Tender


def _numbers(ids) -> list[int]:
    return [int(i) for i in ids if str(i).isdigit()]


class TenderDescriber(ModelDescriber):
    """A tender by its reference and its title in the reader's language."""

    model = Tender
    kind = _("Tender")

    def names(self, ids):
        tenders = Tender.objects.filter(pk__in=_numbers(ids)).only("reference", "title", "title_fa")
        return {
            str(tender.pk): f"{tender.reference} — {in_language(tender, 'title')}"
            for tender in tenders
        }

    def search(self, text):
        return Tender.objects.filter(
            Q(reference__icontains=text) | Q(title__icontains=text) | Q(title_fa__icontains=text)
        ).values_list("pk", flat=True)[:SEARCH_LIMIT]


class OutageDescriber(ModelDescriber):
    """An outage by its start and end, in the platform's time zone and the reader's calendar."""

    model = Outage
    kind = _("Outage")

    def names(self, ids):
        return {
            str(outage.pk): f"{localdatetime(outage.starts_at)} – {localdatetime(outage.ends_at)}"  # noqa: RUF001
            for outage in Outage.objects.filter(pk__in=_numbers(ids))
        }
