"""How the auditor's pages name the objects on the trail, without importing the apps above.

An event names its object by type and id (`tenders.tender`, `42`) and the text
it had then. People look for "T-DEMO-001 — Karaj-Chalus resurfacing", in their
language, as it is called today. Only the app that owns a model knows how to
name it, and audit sits below every such app, so each app gives a `Describer`
for its object types, and `settings.AUDIT_DESCRIBERS` maps each object type to
its describer's dotted path — one explicit map, read when a page needs it, as
`OUTBOX_HANDLERS` is for the outbox: nothing registers itself at start-up.

A describer names a page's worth of objects of its type in one query
(`names`), finds objects by what people type (`search`), and labels the fields
and values its payloads carry (`field_labels`, `value_label`), so that a page
of events costs one query per object type, however many rows it shows.
"""

from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.models import OutboxMessage

from .models import Person

# How many objects a search matches at most: a search names what to look at, it is not a list.
SEARCH_LIMIT = 500


def in_language(obj, field: str) -> str:
    """`obj.<field>_fa` when Persian is active and it is filled in, else `obj.<field>`."""
    if (translation.get_language() or "").startswith("fa"):
        persian = getattr(obj, f"{field}_fa", "")
        if persian:
            return persian
    return getattr(obj, field, "") or getattr(obj, f"{field}_fa", "")


class Describer:
    """How one object type is named; subclassed by the app that owns the model."""

    # The kind of object, as people call it ("Tender").
    kind = _("Object")
    # The label of a payload's top-level "from"/"to" pair (a state machine's transition).
    transition_label = _("State")

    @cached_property
    def field_labels(self) -> Mapping[str, str]:
        """Payload keys → their labels (lazy translations)."""
        return {}

    def names(self, ids: list[str]) -> dict[str, str]:
        """The name of each object whose id is in `ids`, in the active language, in one query."""
        return {}

    def search(self, text: str) -> Iterable[str]:
        """The ids of the objects that `text` names (at most SEARCH_LIMIT)."""
        return []

    def value_label(self, field: str, value) -> str | None:
        """How a value of `field` reads (a state's or role's name); None to show it as it is."""
        return None


class ModelDescriber(Describer):
    """A describer for one model: its fields' verbose names label the payload's keys, and
    a field's choices (a state, a role, a kind) label its values."""

    model = None

    @cached_property
    def field_labels(self):
        labels = {}
        for field in self.model._meta.get_fields():
            if field.auto_created or not getattr(field, "verbose_name", None):
                continue
            labels[field.name] = field.verbose_name
            # A foreign key is recorded by its column (`approver_id`).
            labels.setdefault(getattr(field, "attname", field.name), field.verbose_name)
        return labels

    def value_label(self, field, value):
        try:
            model_field = self.model._meta.get_field(field)
        except FieldDoesNotExist:
            return None
        if not getattr(model_field, "choices", None):
            return None
        return dict(model_field.flatchoices).get(value)


def describer_for(object_type: str) -> Describer | None:
    """The describer `settings.AUDIT_DESCRIBERS` names for `object_type`, or None."""
    path = settings.AUDIT_DESCRIBERS.get(object_type)
    return import_string(path)() if path else None


def registered() -> dict[str, Describer]:
    """Every object type with a describer, and the describer."""
    return {kind: describer_for(kind) for kind in settings.AUDIT_DESCRIBERS}


# --- audit's own objects ---------------------------------------------------------------


class PersonDescriber(Describer):
    """A pseudonym on the trail (the object of `person.erased`)."""

    kind = _("Person on the record")

    def names(self, ids):
        return {
            person.pk: str(_("Erased person")) if person.erased else str(person)
            for person in Person.objects.filter(pk__in=ids)
        }

    def search(self, text):
        return Person.objects.filter(
            Q(name__icontains=text) | Q(email__icontains=text) | Q(pk=text)
        ).values_list("pk", flat=True)[:SEARCH_LIMIT]


class OutboxMessageDescriber(Describer):
    """A message the outbox failed to deliver (the object of `outbox.requeued`)."""

    kind = _("Outbox message")

    def names(self, ids):
        numbers = [int(i) for i in ids if i.isdigit()]
        return {
            str(pk): f"{topic} #{pk}"
            for pk, topic in OutboxMessage.objects.filter(pk__in=numbers).values_list("pk", "topic")
        }
