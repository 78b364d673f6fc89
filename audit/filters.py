"""The auditor's filters, shared by the pages, the exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import LocalisedDateTimeFilter, LocalisedFilterSetMixin

from .models import Event


class EventFilter(LocalisedFilterSetMixin, django_filters.FilterSet):
    organisation = django_filters.NumberFilter(
        field_name="organisation_id",
        label=_("Organisation (number)"),
        # A number, not a list of every organisation on the platform.
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    actor = django_filters.CharFilter(
        method="filter_actor", label=_("Actor (name, e-mail address or pseudonym)")
    )
    action = django_filters.CharFilter(
        method="filter_action",
        label=_("Action"),
        help_text=_("Exact, or a prefix ending in “.” or “*”, e.g. “tender.”."),
    )
    object_type = django_filters.CharFilter(
        label=_("Object type"), help_text=_("e.g. “accounts.user”.")
    )
    object_id = django_filters.CharFilter(label=_("Object id"))

    class Meta:
        model = Event
        fields = ["organisation", "actor", "action", "object_type", "object_id"]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
        return form

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(actor_id=value) | Q(actor__name__icontains=value) | Q(actor__email__icontains=value)
        )

    def filter_action(self, queryset, name, value):
        if value.endswith("*"):
            return queryset.filter(action__startswith=value[:-1])
        if value.endswith("."):
            return queryset.filter(action__startswith=value)
        return queryset.filter(action=value)


# "from" is a Python keyword, so the time range's filters are added by name.
EventFilter.base_filters["from"] = LocalisedDateTimeFilter(
    field_name="recorded_at",
    lookup_expr="gte",
    label=_("From"),
    help_text=_("Recorded at or after this moment (Tehran time)."),
)
EventFilter.base_filters["to"] = LocalisedDateTimeFilter(
    field_name="recorded_at",
    lookup_expr="lt",
    label=_("To"),
    help_text=_("Recorded before this moment (Tehran time)."),
)
