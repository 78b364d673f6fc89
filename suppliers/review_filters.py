"""The officers' filters on the registrations, shared by the review pages and the API."""

import django_filters
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from core import cpv
from core.filters import LocalisedDateFilter, LocalisedFilterSetMixin

from . import countries
from .models import SupplierState

# Officers see every registration but drafts; the queue is the submitted ones.
REVIEW_STATES = [choice for choice in SupplierState.choices if choice[0] != SupplierState.DRAFT]
ANY_STATE = "any"


def division_choices() -> list[tuple[str, str]]:
    """The 45 CPV divisions, labelled in the active language."""
    return [
        (code[:2], f"{code[:2]} · {cpv.label(code)}")
        for code in cpv.vocabulary()
        if code[2:8] == "000000"
    ]


def state_choices() -> list[tuple[str, str]]:
    return [*REVIEW_STATES, (ANY_STATE, _("Any state"))]


class ReviewFilter(LocalisedFilterSetMixin, django_filters.FilterSet):
    """Filters on `selectors.reviewable_suppliers()`; without `state`, the submitted ones."""

    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Name or registration number"),
        help_text=_("Part of the legal name (English or Persian), registration number or tax id."),
    )
    country = django_filters.ChoiceFilter(
        choices=countries.choices,
        label=_("Country"),
        empty_label=_("Any country"),
        help_text=_("In the API: the ISO 3166-1 alpha-2 code, e.g. IR."),
    )
    cpv_division = django_filters.ChoiceFilter(
        method="filter_cpv_division",
        choices=division_choices,
        label=_("Business category (CPV division)"),
        empty_label=_("Any category"),
    )
    submitted_from = LocalisedDateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("Submitted on or after"),
    )
    submitted_to = LocalisedDateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("Submitted on or before"),
    )
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=state_choices,
        label=_("State"),
        empty_label=None,
    )

    class Meta:
        fields = ["q", "country", "cpv_division", "submitted_from", "submitted_to", "state"]

    def __init__(self, data=None, *args, **kwargs):
        # The queue is what awaits a decision: the submitted registrations,
        # unless the officer asks for another state.
        data = data.copy() if data is not None else {}
        if not data.get("state"):
            data["state"] = SupplierState.SUBMITTED
        super().__init__(data, *args, **kwargs)

    def filter_search(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(legal_name__icontains=value)
            | Q(legal_name_fa__icontains=value)
            | Q(registration_number__icontains=value)
            | Q(tax_id__icontains=value)
        )

    def filter_cpv_division(self, queryset, name, value: str):
        # The codes are a JSON list of strings: a code of the division starts
        # right after a quote in its text, on PostgreSQL and SQLite alike.
        return queryset.annotate(cpv_text=Cast("cpv_codes", TextField())).filter(
            cpv_text__contains=f'"{value}'
        )

    def filter_state(self, queryset, name, value: str):
        if value == ANY_STATE:
            return queryset
        return queryset.filter(state=value)
