# The Notification model moved to the notifications app. Its rows stay where they
# are: core forgets the model (state only); notifications.0001 adopts the table and
# notifications.0002 renames it.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
