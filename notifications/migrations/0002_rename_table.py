# The table takes this app's name, and the model's content type (with the admin
# permissions attached to it) follows the model from core to notifications.

from django.db import migrations


def move_content_type(apps, schema_editor, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if ContentType.objects.using(db).filter(app_label=new, model="notification").exists():
        return
    ContentType.objects.using(db).filter(app_label=old, model="notification").update(app_label=new)


def forwards(apps, schema_editor):
    move_content_type(apps, schema_editor, old="core", new="notifications")


def backwards(apps, schema_editor):
    move_content_type(apps, schema_editor, old="notifications", new="core")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="notification", table="notifications_notification"),
        migrations.RunPython(forwards, backwards),
    ]
