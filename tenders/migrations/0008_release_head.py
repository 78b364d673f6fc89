# The count of OCDS releases published, which versions what the public list reuses.

from django.db import migrations, models


def count_the_releases(apps, schema_editor):
    """The head starts at the number of releases already published."""
    Release = apps.get_model("tenders", "Release")
    ReleaseHead = apps.get_model("tenders", "ReleaseHead")
    alias = schema_editor.connection.alias
    count = Release.objects.using(alias).count()
    ReleaseHead.objects.using(alias).update_or_create(pk=1, defaults={"count": count})


class Migration(migrations.Migration):
    dependencies = [
        ("tenders", "0007_amendment_documents"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReleaseHead",
            fields=[
                (
                    "id",
                    models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False),
                ),
                ("count", models.BigIntegerField(default=0, verbose_name="releases published")),
            ],
            options={
                "verbose_name": "OCDS releases published",
            },
        ),
        migrations.RunPython(count_the_releases, migrations.RunPython.noop),
    ]
