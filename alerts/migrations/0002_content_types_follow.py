# The moved models keep their content types, so the Editors' grants on them (and the admin
# log's entries) follow: the rows are relabelled, not created anew.

from django.db import migrations

MOVED = {"subscriber": "accounts", "alert": "articles", "delivery": "articles"}


def _relabel(apps, moves):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model, source, target in moves:
        if content_type.objects.filter(app_label=source, model=model).exists():
            content_type.objects.filter(app_label=target, model=model).delete()
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _relabel(apps, [(model, old, "alerts") for model, old in MOVED.items()])


def backwards(apps, schema_editor):
    _relabel(apps, [(model, "alerts", old) for model, old in MOVED.items()])


class Migration(migrations.Migration):

    dependencies = [
        ('alerts', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
