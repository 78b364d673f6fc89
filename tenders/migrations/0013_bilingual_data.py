"""Existing single-language texts move into the language they were written in.

A text in Persian script goes to its `_fa` field (when that is empty), any
other stays where it was, as English. Free-text units become their UN/ECE
Recommendation 20 code when one matches ("kg" → KGM); the others are kept as
they were written, and shown as written.
"""

from django.db import migrations

from core import bilingual, units

PAIRS = {
    "Lot": ("title", "description"),
    "Item": ("description",),
    "Clarification": ("question", "answer"),
    "Tender": ("cancellation_reason",),
}


def _move(apps, alias, model_name, fields, *, forward):
    model = apps.get_model("tenders", model_name)
    changed = []
    for row in (
        model.objects.using(alias).only("pk", *fields, *(f"{f}_fa" for f in fields)).iterator()
    ):
        touched = False
        for field in fields:
            english, persian = getattr(row, field), getattr(row, f"{field}_fa")
            if forward and english and not persian and bilingual.is_persian_text(english):
                setattr(row, field, "")
                setattr(row, f"{field}_fa", english)
                touched = True
            elif not forward and persian and not english:
                setattr(row, field, persian)
                setattr(row, f"{field}_fa", "")
                touched = True
        if touched:
            changed.append(row)
    names = [*fields, *(f"{f}_fa" for f in fields)]
    model.objects.using(alias).bulk_update(changed, names, batch_size=500)


def _units(apps, alias, *, forward):
    item_model = apps.get_model("tenders", "Item")
    changed = []
    for item in item_model.objects.using(alias).only("pk", "unit").iterator():
        if forward and not units.is_valid(item.unit):
            code = units.match(item.unit)
            if code:
                item.unit = code
                changed.append(item)
        elif not forward and units.is_valid(item.unit):
            item.unit = units.label(item.unit, "en")
            changed.append(item)
    item_model.objects.using(alias).bulk_update(changed, ["unit"], batch_size=500)


def forwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, fields in PAIRS.items():
        _move(apps, alias, model_name, fields, forward=True)
    _units(apps, alias, forward=True)


def backwards(apps, schema_editor):
    alias = schema_editor.connection.alias
    for model_name, fields in PAIRS.items():
        _move(apps, alias, model_name, fields, forward=False)
    _units(apps, alias, forward=False)


class Migration(migrations.Migration):
    dependencies = [("tenders", "0012_bilingual_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
