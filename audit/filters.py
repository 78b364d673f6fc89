"""The auditor's filters, shared by the pages, the exports and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import LocalisedDateTimeFilter, LocalisedFilterSetMixin

from . import actions, describers
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


# Persian and Arabic-Indic digits typed in a search read as the Latin digits stored.
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def normalise_search(text: str) -> str:
    return (text or "").strip().translate(_DIGITS)


class EventSearch(EventFilter):
    """The auditor's pages and exports: the same filters, found by name, not by number.

    An organisation by its name in either language (or its number, which the
    table's links carry); any object — a tender by its reference or title, a
    supplier, an organisation, a person — by what its describer
    (audit.describers) finds or by the text the event recorded; an action
    chosen by its sentence; an object type by its kind's name. The API keeps
    `EventFilter`, whose filters are the trail's own ids and codes.
    """

    organisation = django_filters.CharFilter(
        method="filter_organisation",
        label=_("Organisation"),
        help_text=_("Its name, in English or Persian."),
    )
    actor = django_filters.CharFilter(
        method="filter_actor",
        label=_("Person"),
        help_text=_("Who acted: a name, an e-mail address or a pseudonym."),
    )
    object = django_filters.CharFilter(
        method="filter_object",
        label=_("About"),
        help_text=_("A tender’s reference or title, a supplier, an organisation or a person."),  # noqa: RUF001
    )
    action = django_filters.CharFilter(method="filter_action", label=_("What happened"))
    object_type = django_filters.CharFilter(label=_("Kind of object"))
    object_id = django_filters.CharFilter(widget=forms.HiddenInput)

    class Meta(EventFilter.Meta):
        fields = ["actor", "organisation", "object", "action", "object_type", "object_id"]

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_choices_set", False):
            form.fields["action"].widget = forms.Select(
                choices=[("", _("Any action")), *actions.choices()],
                attrs={"class": "form-select"},
            )
            kinds = sorted(
                (
                    (code, str(describer.kind))
                    for code, describer in describers.registered().items()
                ),
                key=lambda choice: choice[1],
            )
            form.fields["object_type"].widget = forms.Select(
                choices=[("", _("Any kind")), *kinds], attrs={"class": "form-select"}
            )
            form._choices_set = True
        return form

    def filter_organisation(self, queryset, name, value):
        value = normalise_search(value)
        if value.isdigit():
            return queryset.filter(organisation_id=int(value))
        return queryset.filter(
            Q(organisation__name__icontains=value) | Q(organisation__name_fa__icontains=value)
        )

    def filter_actor(self, queryset, name, value):
        return super().filter_actor(queryset, name, normalise_search(value))

    def filter_object(self, queryset, name, value):
        value = normalise_search(value)
        if not value:
            return queryset
        found = Q(object_repr__icontains=value)
        for object_type, describer in describers.registered().items():
            ids = [str(pk) for pk in describer.search(value)]
            if ids:
                found |= Q(object_type=object_type, object_id__in=ids)
        return queryset.filter(found)


EventSearch.base_filters["from"] = EventFilter.base_filters["from"]
EventSearch.base_filters["to"] = EventFilter.base_filters["to"]
