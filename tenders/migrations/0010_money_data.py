# The lots' amounts were shown in their tender's currency: they get it as theirs. The
# amendments' diffs of amounts (text) become amounts with their currency, which an
# amendment never changed (the currencies were not amendable).

from django.db import migrations
from django.db.models import OuterRef, Subquery

MONEY_FIELDS = {
    "estimated_value": "estimated_value_currency",
    "document_fee": "document_fee_currency",
}


def lots_in_their_tenders_currency(apps, schema_editor):
    Lot = apps.get_model("tenders", "Lot")
    Tender = apps.get_model("tenders", "Tender")
    alias = schema_editor.connection.alias
    currency = Subquery(
        Tender.objects.using(alias)
        .filter(pk=OuterRef("tender_id"))
        .values("estimated_value_currency")[:1]
    )
    Lot.objects.using(alias).update(
        estimated_value_currency=currency, bid_security_currency=currency
    )


def _convert_diffs(apps, schema_editor, convert):
    Amendment = apps.get_model("tenders", "Amendment")
    alias = schema_editor.connection.alias
    amendments = Amendment.objects.using(alias).select_related("tender")
    for amendment in amendments.order_by("pk"):
        changes = dict(amendment.changes)
        touched = False
        for name, currency_column in MONEY_FIELDS.items():
            if name in changes:
                code = getattr(amendment.tender, currency_column)
                changes[name] = {side: convert(value, code) for side, value in changes[name].items()}
                touched = True
        if touched:
            amendment.changes = changes
            amendment.save(update_fields=["changes"])


def diffs_with_currency(apps, schema_editor):
    def convert(value, code):
        if isinstance(value, dict) or value is None:
            return value
        return {"amount": value, "currency": code}

    _convert_diffs(apps, schema_editor, convert)


def diffs_as_text(apps, schema_editor):
    def convert(value, code):
        return value["amount"] if isinstance(value, dict) else value

    _convert_diffs(apps, schema_editor, convert)


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0009_money_columns"),
    ]

    operations = [
        migrations.RunPython(lots_in_their_tenders_currency, migrations.RunPython.noop),
        migrations.RunPython(diffs_with_currency, diffs_as_text),
    ]
