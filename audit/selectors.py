"""Reading the audit trail."""

import datetime
import json
from collections.abc import Iterator

from django.conf import settings
from django.db.models import QuerySet

from core import signing

from .chain import event_record
from .models import Checkpoint, Event, Person

EXPORT_CHUNK_SIZE = 2000


def event_list() -> QuerySet[Event]:
    """Every event, oldest first, with what its row shows already joined."""
    return Event.objects.select_related("actor", "organisation").order_by("seq")


def object_timeline(*, object_type: str, object_id: str) -> QuerySet[Event]:
    """The events about one object, oldest first."""
    return event_list().filter(object_type=object_type, object_id=object_id)


def events_recorded_since(moment: datetime.datetime) -> int:
    return Event.objects.filter(recorded_at__gte=moment).count()


def export_lines(events: QuerySet[Event]) -> Iterator[str]:
    """The events as JSON Lines, one exported record (hashed fields and hash) per line."""
    for event in events.order_by("seq").iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield json.dumps(event_record(event), ensure_ascii=False) + "\n"


def person_by_email(email: str) -> Person | None:
    return Person.objects.filter(email=(email or "").strip().lower()).first()


def checkpoint_list() -> QuerySet[Checkpoint]:
    """The signed checkpoints, newest first."""
    return Checkpoint.objects.order_by("-size")


def latest_checkpoint() -> Checkpoint | None:
    return checkpoint_list().first()


def checkpoint_at(size: int | None) -> Checkpoint | None:
    """The checkpoint signed at `size`, or the latest one when `size` is None."""
    if size is None:
        return latest_checkpoint()
    return checkpoint_list().filter(size=size).first()


def is_own_event(event: Event, user) -> bool:
    """Whether `user` is the event's actor (people may always read what they did)."""
    return event.actor_id is not None and event.actor.user_id == user.pk


def key_set() -> dict:
    """The platform's public signing keys, as `panjere-verify --keys` reads them."""
    return {"log": settings.AUDIT_LOG_ID, "keys": [key.as_json() for key in signing.public_keys()]}
