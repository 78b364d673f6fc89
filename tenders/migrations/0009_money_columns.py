# Every amount gets its currency (core.money): the amount columns become `<name>_amount`
# (exact, with room for any ISO 4217 currency's minor units) beside `<name>_currency`.
# The lots' amounts had no currency: they were in the tender's, which 0010 copies.

from django.db import migrations, models

import core.money


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0008_release_head"),
    ]

    operations = [
        # The check constraints name the columns being renamed: drop them, add them back after.
        migrations.RemoveConstraint(model_name="tender", name="tender_estimated_value_not_negative"),
        migrations.RemoveConstraint(model_name="tender", name="tender_document_fee_not_negative"),
        migrations.RemoveConstraint(model_name="lot", name="lot_estimated_value_not_negative"),
        migrations.RemoveConstraint(model_name="lot", name="lot_bid_security_not_negative"),
        migrations.RenameField(
            model_name="tender", old_name="estimated_value", new_name="estimated_value_amount"
        ),
        migrations.RenameField(
            model_name="tender", old_name="currency", new_name="estimated_value_currency"
        ),
        migrations.RenameField(
            model_name="tender", old_name="document_fee", new_name="document_fee_amount"
        ),
        migrations.RenameField(
            model_name="lot", old_name="estimated_value", new_name="estimated_value_amount"
        ),
        migrations.AlterField(
            model_name="tender",
            name="estimated_value_amount",
            field=core.money.AmountField(
                decimal_places=4, max_digits=20, verbose_name="estimated value"
            ),
        ),
        migrations.AlterField(
            model_name="tender",
            name="estimated_value_currency",
            field=core.money.CurrencyField(
                max_length=3, verbose_name="currency of the estimated value"
            ),
        ),
        migrations.AlterField(
            model_name="tender",
            name="document_fee_amount",
            field=core.money.AmountField(
                decimal_places=4, default=0, max_digits=20, verbose_name="document fee"
            ),
        ),
        migrations.AlterField(
            model_name="tender",
            name="document_fee_currency",
            field=core.money.CurrencyField(max_length=3, verbose_name="document fee currency"),
        ),
        migrations.AlterField(
            model_name="lot",
            name="estimated_value_amount",
            field=core.money.AmountField(
                decimal_places=4, max_digits=20, verbose_name="estimated value"
            ),
        ),
        migrations.AlterField(
            model_name="lot",
            name="bid_security_amount",
            field=core.money.AmountField(
                decimal_places=4, default=0, max_digits=20, verbose_name="bid security amount"
            ),
        ),
        # Filled from each lot's tender by 0010; "IRR" only fills the column as it is added.
        migrations.AddField(
            model_name="lot",
            name="estimated_value_currency",
            field=core.money.CurrencyField(
                default="IRR", max_length=3, verbose_name="currency of the estimated value"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="lot",
            name="bid_security_currency",
            field=core.money.CurrencyField(
                default="IRR", max_length=3, verbose_name="bid security currency"
            ),
            preserve_default=False,
        ),
    ]
