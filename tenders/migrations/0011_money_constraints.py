# The amounts' check constraints, on the renamed columns; OCDS releases keep their amounts
# as exact JSON numbers (core.exactjson).

from django.db import migrations, models

import core.exactjson


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0010_money_data"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="tender",
            constraint=models.CheckConstraint(
                condition=models.Q(("estimated_value_amount__gte", 0)),
                name="tender_estimated_value_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="tender",
            constraint=models.CheckConstraint(
                condition=models.Q(("document_fee_amount__gte", 0)),
                name="tender_document_fee_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="lot",
            constraint=models.CheckConstraint(
                condition=models.Q(("estimated_value_amount__gte", 0)),
                name="lot_estimated_value_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="lot",
            constraint=models.CheckConstraint(
                condition=models.Q(("bid_security_amount__gte", 0)),
                name="lot_bid_security_not_negative",
            ),
        ),
        migrations.AlterField(
            model_name="release",
            name="data",
            field=models.JSONField(
                decoder=core.exactjson.ExactJSONDecoder,
                encoder=core.exactjson.ExactJSONEncoder,
                verbose_name="release",
            ),
        ),
    ]
