"""Filters every app's lists share: dates in the reader's calendar, ISO 8601 in the API."""

import django_filters
from rest_framework.request import Request

from .forms import GREGORIAN, LocalisedDateField, LocalisedDateTimeField


class LocalisedDateFilter(django_filters.DateFilter):
    """A date typed in the active language's calendar (Jalali in Persian)."""

    field_class = LocalisedDateField


class LocalisedDateTimeFilter(django_filters.DateTimeFilter):
    """A moment typed in the active language's calendar, in the platform's time zone."""

    field_class = LocalisedDateTimeField


class LocalisedFilterSetMixin:
    """Pages read dates in the reader's calendar; the API always in ISO 8601 (Gregorian).

    An API client's Accept-Language chooses the language of its messages, not
    how the dates it sends are read.
    """

    @property
    def form(self):
        form = super().form
        if isinstance(self.request, Request):
            for field in form.fields.values():
                if hasattr(field, "use_calendar"):
                    field.use_calendar(GREGORIAN)
        return form
