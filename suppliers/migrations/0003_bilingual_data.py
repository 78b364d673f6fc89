"""An existing debarment reason in Persian script moves to `debarment_reason_fa`."""

from django.db import migrations

from core import bilingual


def forwards(apps, schema_editor):
    supplier_model = apps.get_model("suppliers", "Supplier")
    objects = supplier_model.objects.using(schema_editor.connection.alias)
    changed = []
    for supplier in objects.exclude(debarment_reason="").only(
        "pk", "debarment_reason", "debarment_reason_fa"
    ):
        if not supplier.debarment_reason_fa and bilingual.is_persian_text(
            supplier.debarment_reason
        ):
            supplier.debarment_reason_fa = supplier.debarment_reason
            supplier.debarment_reason = ""
            changed.append(supplier)
    objects.bulk_update(changed, ["debarment_reason", "debarment_reason_fa"])


def backwards(apps, schema_editor):
    supplier_model = apps.get_model("suppliers", "Supplier")
    objects = supplier_model.objects.using(schema_editor.connection.alias)
    changed = []
    for supplier in objects.filter(debarment_reason="").exclude(
        debarment_reason_fa=""
    ):
        supplier.debarment_reason = supplier.debarment_reason_fa
        supplier.debarment_reason_fa = ""
        changed.append(supplier)
    objects.bulk_update(changed, ["debarment_reason", "debarment_reason_fa"])


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0002_bilingual_fields")]

    operations = [migrations.RunPython(forwards, backwards)]
