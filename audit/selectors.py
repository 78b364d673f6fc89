"""Reading the audit trail."""

import datetime

from django.db.models import QuerySet

from .models import Event


def event_list() -> QuerySet[Event]:
    """Every event, oldest first, with what its row shows already joined."""
    return Event.objects.select_related("actor", "organisation").order_by("seq")


def object_timeline(*, object_type: str, object_id: str) -> QuerySet[Event]:
    """The events about one object, oldest first."""
    return event_list().filter(object_type=object_type, object_id=object_id)


def events_recorded_since(moment: datetime.datetime) -> int:
    return Event.objects.filter(recorded_at__gte=moment).count()
