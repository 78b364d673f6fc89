"""The public list's search, filters and sorting (shared with the API if it wants them)."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organisations_with
from core.filters import LocalisedDateFilter, LocalisedFilterSetMixin
from core.money import currency_choices

from . import selectors
from .models import PUBLIC_STATES, MainCategory, ProcurementMethod, Tender, TenderState

SORT_FIELDS = {
    "deadline": "submission_deadline",
    "published": "published_at",
    "value": "estimated_value_amount",
}


def _attrs(attrs: dict) -> SafeString:
    """Django's django/forms/widgets/attrs.html, in Python (every value escaped)."""
    return SafeString(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in attrs.items()
            if value is not False
        )
    )


class QuickSelect(forms.Select):
    """A <select> with the markup of Django's select templates, written in Python.

    The filter form of the public list has some 70 options (one per buyer): through the
    templates, one include per option made the form most of the page's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        # Every part is a literal or came out of format_html, which escapes.
        return SafeString("".join(parts))


class QuickInputMixin:
    """An <input> with the markup of Django's input template, written in Python."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if widget["value"] is None:
            return format_html(
                '<input type="{}" name="{}"{}>',
                widget["type"],
                widget["name"],
                _attrs(widget["attrs"]),
            )
        return format_html(
            '<input type="{}" name="{}" value="{}"{}>',
            widget["type"],
            widget["name"],
            str(widget["value"]),
            _attrs(widget["attrs"]),
        )


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickNumberInput(QuickInputMixin, forms.NumberInput):
    pass


class _PlainModelChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """The choices in one plain query.

    Django's iterator() reads them through a server-side cursor on PostgreSQL: three
    round trips (declare, fetch, close) for some fifty rows.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class _BuyerField(django_filters.fields.ModelChoiceField):
    iterator = _PlainModelChoiceIterator


class BuyerFilter(django_filters.ModelChoiceFilter):
    field_class = _BuyerField


def public_state_choices():
    return [(value, label) for value, label in TenderState.choices if value in PUBLIC_STATES]


def buyers(request=None):
    """The organisations with a published tender: a few, each checked with one index probe.

    (Not a DISTINCT over the join with every tender, which reads them all.)
    """
    published = Tender.objects.filter(buyer=OuterRef("pk"), published_at__isnull=False)
    return organisations_with(Exists(published))


class PublicTenderFilter(LocalisedFilterSetMixin, django_filters.FilterSet):
    """Filters on `selectors.public_tenders()`; newest publication first by default."""

    q = django_filters.CharFilter(
        method="filter_search",
        widget=QuickTextInput,
        label=_("Search"),
        help_text=_("Words in the title or description, in English or Persian."),
    )
    state = django_filters.ChoiceFilter(
        choices=public_state_choices,
        label=_("Status"),
        empty_label=_("Any status"),
        widget=QuickSelect,
    )
    procurement_method = django_filters.ChoiceFilter(
        choices=ProcurementMethod.choices,
        label=_("Method"),
        empty_label=_("Any method"),
        widget=QuickSelect,
    )
    main_category = django_filters.ChoiceFilter(
        choices=MainCategory.choices,
        label=_("Category"),
        empty_label=_("Any category"),
        widget=QuickSelect,
    )
    cpv = django_filters.CharFilter(
        method="filter_cpv",
        widget=QuickTextInput(attrs={"dir": "ltr"}),
        label=_("CPV code"),
        help_text=_("A code or its beginning, e.g. 45 or 45233."),
    )
    buyer = BuyerFilter(
        queryset=buyers, label=_("Buyer"), empty_label=_("Any buyer"), widget=QuickSelect
    )
    currency = django_filters.ChoiceFilter(
        field_name="estimated_value_currency",
        choices=currency_choices,
        label=_("Currency"),
        empty_label=_("Any currency"),
        widget=QuickSelect,
        help_text=_("Values are compared in one currency: choose it with a value range."),
    )
    value_min = django_filters.NumberFilter(
        field_name="estimated_value_amount",
        lookup_expr="gte",
        label=_("Estimated value from"),
        widget=QuickNumberInput,
    )
    value_max = django_filters.NumberFilter(
        field_name="estimated_value_amount",
        lookup_expr="lte",
        label=_("Estimated value up to"),
        widget=QuickNumberInput,
    )
    deadline_from = LocalisedDateFilter(
        field_name="submission_deadline",
        lookup_expr="date__gte",
        label=_("Deadline on or after"),
    )
    deadline_to = LocalisedDateFilter(
        field_name="submission_deadline",
        lookup_expr="date__lte",
        label=_("Deadline on or before"),
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
        widget=QuickSelect,
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
