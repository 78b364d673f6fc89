"""Reading the audit trail."""

import datetime

from django.db.models import QuerySet

from .models import ChainHead, Event


def event_list() -> QuerySet[Event]:
    """Every event, oldest first, with what its row shows already joined."""
    return Event.objects.select_related("actor", "organisation").order_by("seq")


def object_timeline(*, object_type: str, object_id: str) -> QuerySet[Event]:
    """The events about one object, oldest first."""
    return event_list().filter(object_type=object_type, object_id=object_id)


def events_recorded_since(moment: datetime.datetime) -> int:
    return Event.objects.filter(recorded_at__gte=moment).count()


def chain_length() -> int:
    """How many events the trail holds: the chain head's sequence number (one indexed read).

    It grows with every audited change anywhere, so it serves as a version of
    everything the platform has changed: a page cached under it is current
    until the next audited change.
    """
    return ChainHead.objects.filter(pk=1).values_list("seq", flat=True).first() or 0
