"""The public list's search, filters and sorting (shared with the API if it wants them)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

from . import selectors
from .models import PUBLIC_STATES, MainCategory, ProcurementMethod, TenderState

SORT_FIELDS = {
    "deadline": "submission_deadline",
    "published": "published_at",
    "value": "estimated_value",
}
DATE_WIDGET = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def public_state_choices():
    return [(value, label) for value, label in TenderState.choices if value in PUBLIC_STATES]


def buyers(request=None):
    return (
        Organisation.objects.filter(tenders__published_at__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


class PublicTenderFilter(django_filters.FilterSet):
    """Filters on `selectors.public_tenders()`; newest publication first by default."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("Words in the title or description, in English or Persian."),
    )
    state = django_filters.ChoiceFilter(
        choices=public_state_choices, label=_("Status"), empty_label=_("Any status")
    )
    procurement_method = django_filters.ChoiceFilter(
        choices=ProcurementMethod.choices, label=_("Method"), empty_label=_("Any method")
    )
    main_category = django_filters.ChoiceFilter(
        choices=MainCategory.choices, label=_("Category"), empty_label=_("Any category")
    )
    cpv = django_filters.CharFilter(
        method="filter_cpv",
        label=_("CPV code"),
        help_text=_("A code or its beginning, e.g. 45 or 45233."),
    )
    buyer = django_filters.ModelChoiceFilter(
        queryset=buyers, label=_("Buyer"), empty_label=_("Any buyer")
    )
    value_min = django_filters.NumberFilter(
        field_name="estimated_value", lookup_expr="gte", label=_("Estimated value from")
    )
    value_max = django_filters.NumberFilter(
        field_name="estimated_value", lookup_expr="lte", label=_("Estimated value up to")
    )
    deadline_from = django_filters.DateFilter(
        field_name="submission_deadline",
        lookup_expr="date__gte",
        label=_("Deadline on or after"),
        **DATE_WIDGET,
    )
    deadline_to = django_filters.DateFilter(
        field_name="submission_deadline",
        lookup_expr="date__lte",
        label=_("Deadline on or before"),
        **DATE_WIDGET,
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=[
            ("deadline", _("Deadline (soonest first)")),
            ("-deadline", _("Deadline (latest first)")),
            ("-published", _("Published (newest first)")),
            ("published", _("Published (oldest first)")),
            ("-value", _("Value (highest first)")),
            ("value", _("Value (lowest first)")),
        ],
        label=_("Sort by"),
        empty_label=_("Relevance, then newest"),
    )

    def filter_search(self, queryset, name, value):
        return selectors.search_public_tenders(queryset, value)

    def filter_cpv(self, queryset, name, value):
        prefix = value.strip()
        if not prefix:
            return queryset
        # cpv_index is " code code …": a code starting with the prefix follows a space.
        return queryset.filter(cpv_index__contains=f" {prefix}")

    def filter_sort(self, queryset, name, value):
        field = SORT_FIELDS[value.lstrip("-")]
        direction = "-" if value.startswith("-") else ""
        # The primary key keeps the order stable across pages.
        return queryset.order_by(f"{direction}{field}", f"{direction}pk")

    @property
    def qs(self):
        queryset = super().qs
        sort = getattr(self.form, "cleaned_data", {}).get("sort")
        if not sort and "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", "-published_at", "-pk")
        return queryset
