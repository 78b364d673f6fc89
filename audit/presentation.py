"""Events as people read them: a sentence, the object's name, what changed before and after.

The trail keeps codes, ids and JSON (that is what is hashed); the auditor's
pages and the CSV export show, beside them, the action's sentence
(`audit.actions`), the object's name today (`audit.describers`) and the payload
as a list of fields, each with its value before and after where the payload
says so. `present` does it for a page of events with one query per object type
on the page, whatever the number of rows.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from core.templatetags.panjere import (
    localdate,
    localdatetime,
    localnumber,
    persian_digits,
)

from .actions import sentence
from .describers import Describer, describer_for, in_language

# The labels of keys many payloads share; an app's describer adds its own fields'.
COMMON_LABELS = {
    "changed": gettext_lazy("Changed"),
    "reason": gettext_lazy("Reason"),
    "method": gettext_lazy("Method"),
    "kind": gettext_lazy("Kind"),
    "role": gettext_lazy("Role"),
    "name": gettext_lazy("Name"),
    "name_fa": gettext_lazy("Name in Persian"),
    "title": gettext_lazy("Title"),
    "title_fa": gettext_lazy("Title in Persian"),
    "user_id": gettext_lazy("Person (number)"),
    "holder_id": gettext_lazy("Token holder (number)"),
    "organisation": gettext_lazy("Organisation"),
    "organisation_id": gettext_lazy("Organisation (number)"),
    "document_id": gettext_lazy("Document (number)"),
    "enrolment_id": gettext_lazy("Set-up link (number)"),
    "outage_id": gettext_lazy("Outage (number)"),
    "version": gettext_lazy("Version"),
    "expires_at": gettext_lazy("Expires"),
    "prefix": gettext_lazy("Token prefix"),
    "device": gettext_lazy("Device"),
    "recovery_codes": gettext_lazy("Recovery codes"),
    "superuser": gettext_lazy("Platform superuser"),
    "confirmed": gettext_lazy("Confirmed"),
    "items": gettext_lazy("Items"),
    "number": gettext_lazy("Number"),
    "summary": gettext_lazy("Summary"),
    "topic": gettext_lazy("Topic"),
    "attempts": gettext_lazy("Attempts"),
    "amendment_id": gettext_lazy("Amendment (number)"),
    "clarification_id": gettext_lazy("Question (number)"),
    "lot_id": gettext_lazy("Lot (number)"),
    "bid_security": gettext_lazy("Bid security"),
    "estimated_value": gettext_lazy("Estimated value"),
    "expires_on": gettext_lazy("Expires on"),
    "issued_on": gettext_lazy("Issued on"),
    "documents": gettext_lazy("Documents"),
    "original_name": gettext_lazy("File name"),
    "size": gettext_lazy("Size"),
    "content_type": gettext_lazy("File type"),
    "sha256": gettext_lazy("SHA-256 fingerprint"),
    "changes": gettext_lazy("Changes"),
    "material": gettext_lazy("Material change"),
    "fields": gettext_lazy("Fields"),
    "quantity": gettext_lazy("Quantity"),
    "unit": gettext_lazy("Unit"),
    "description": gettext_lazy("Description"),
    "resubmission": gettext_lazy("Sent again after changes"),
    "ocid": gettext_lazy("Open contracting id (OCID)"),
}

_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Change:
    """One line of a payload: a field and its value, or its value before and after."""

    label: str
    after: str
    before: str | None = None

    @property
    def is_change(self) -> bool:
        return self.before is not None


def _label(key: str, describer: Describer | None) -> str:
    labels = describer.field_labels if describer else {}
    label = labels.get(key) or COMMON_LABELS.get(key)
    if label:
        return capfirst(str(label))
    return key.replace("_", " ").capitalize()


def _text(value, *, field: str = "", describer: Describer | None = None) -> str:
    """A payload value as people read it, in the active language's digits and calendar."""
    if describer is not None and field and isinstance(value, str | int):
        label = describer.value_label(field, value)
        if label is not None:
            return str(label)
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return pgettext("answer", "Yes") if value else pgettext("answer", "No")
    if isinstance(value, int):
        # A file's size reads in kB or MB, as everywhere else on the platform; an
        # identifier (`…_id`) is a name made of digits, never grouped by thousands.
        if field == "size":
            return persian_digits(filesizeformat(value))
        if field.endswith("_id"):
            return persian_digits(str(value))
        return localnumber(value)
    if isinstance(value, str):
        if _MOMENT.match(value):
            try:
                return localdatetime(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                return value
        if _DAY.match(value):
            try:
                return localdate(datetime.date.fromisoformat(value))
            except ValueError:
                return value
        return value
    if isinstance(value, dict):
        if set(value) == {"amount", "currency"}:
            return f"{persian_digits(value['amount'])} {value['currency']}"
        return "; ".join(
            f"{_label(str(key), describer)}: {_text(item, field=str(key), describer=describer)}"
            for key, item in value.items()
        )
    if isinstance(value, list):
        return "; ".join(_text(item, field=field, describer=describer) for item in value)
    return str(value)


def _is_change(value) -> bool:
    return isinstance(value, dict) and set(value) == {"from", "to"}


def changes(payload: dict, describer: Describer | None = None) -> list[Change]:
    """The payload's lines: a transition first, then each field, before → after where known."""
    payload = dict(payload or {})
    lines = []
    if "from" in payload and "to" in payload:
        label = str(describer.transition_label if describer else _("State"))
        before, after = payload.pop("from"), payload.pop("to")
        lines.append(
            Change(
                label,
                _text(after, field="state", describer=describer),
                _text(before, field="state", describer=describer),
            )
        )
    changed = payload.pop("changed", None)
    if isinstance(changed, dict):
        payload = {**changed, **payload}
    elif isinstance(changed, list):
        lines.append(
            Change(_("Changed"), ", ".join(_label(str(key), describer) for key in changed))
        )
    for key, value in payload.items():
        label = _label(key, describer)
        if _is_change(value):
            lines.append(
                Change(
                    label,
                    _text(value["to"], field=key, describer=describer),
                    _text(value["from"], field=key, describer=describer),
                )
            )
        else:
            lines.append(Change(label, _text(value, field=key, describer=describer)))
    return lines


def object_names(events: Iterable) -> dict[tuple[str, str], str]:
    """(object type, id) → the object's name today, one query per object type."""
    wanted = defaultdict(set)
    for event in events:
        if event.object_type and event.object_id:
            wanted[event.object_type].add(event.object_id)
    names = {}
    for object_type, ids in wanted.items():
        describer = describer_for(object_type)
        if describer is None:
            continue
        for object_id, name in describer.names(sorted(ids)).items():
            names[(object_type, str(object_id))] = name
    return names


def present(events: Iterable) -> list:
    """The events, each with `sentence`, `object_name`, `object_kind`, `changes` and
    `organisation_name` set for the reader's language."""
    events = list(events)
    names = object_names(events)
    describers = {}
    for event in events:
        if event.object_type not in describers:
            describers[event.object_type] = describer_for(event.object_type)
        describer = describers[event.object_type]
        event.sentence = sentence(event.action)
        event.object_name = (
            names.get((event.object_type, event.object_id)) or event.object_repr or event.object_id
        )
        event.object_kind = str(describer.kind) if describer else event.object_type
        event.changes = changes(event.payload, describer)
        event.organisation_name = (
            in_language(event.organisation, "name") if event.organisation_id else ""
        )
    return events


def describe_object(object_type: str, object_id: str) -> tuple[str, str]:
    """(kind, name) of one object, for a timeline's heading; the raw type and id if unknown."""
    describer = describer_for(object_type)
    if describer is None:
        return object_type, object_id
    name = describer.names([object_id]).get(object_id) or object_id
    return str(describer.kind), name
