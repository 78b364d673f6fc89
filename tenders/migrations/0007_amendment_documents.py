# Tender documents published, or withdrawn, by an amendment (issue 5: amendments change documents).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # The brief said 0004; the tree's current leaf is taken so that the graph keeps one leaf
    # (0006_invitations and 0005_portal_scale follow 0004). The lead renumbers.
    dependencies = [
        ("tenders", "0005_portal_scale"),
    ]

    operations = [
        migrations.AddField(
            model_name="tenderdocument",
            name="amendment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="tenders.amendment",
                verbose_name="amendment",
            ),
        ),
        migrations.AddField(
            model_name="tenderdocument",
            name="withdrawn_by_amendment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="withdrawn_documents",
                to="tenders.amendment",
                verbose_name="withdrawn by amendment",
            ),
        ),
    ]
