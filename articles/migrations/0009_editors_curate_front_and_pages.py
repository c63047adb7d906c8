from django.db import migrations

from newsroom.roles import EDITORS, roles_grant


def grant(apps, schema_editor):
    """Editors pin front-page stories and keep the newsroom's own pages, not only superusers."""
    roles_grant(
        apps,
        {
            EDITORS: [
                f"articles.{action}_{model}"
                for model in ("frontpin", "newsroompage")
                for action in ("add", "change", "delete", "view")
            ]
        },
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_image_credit_help")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
