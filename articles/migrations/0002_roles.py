from django.db import migrations

from newsroom.roles import EDITORS, WRITERS, roles_grant


def _crud(model, *actions):
    return [f"articles.{action}_{model}" for action in actions]


ALL = ("add", "change", "delete", "view")
NEWSROOM_MODELS = ["article", "articleauthor", "author", "correction", "image", "section", "tag"]


def grant(apps, schema_editor):
    roles_grant(
        apps,
        {
            WRITERS: [
                *_crud("article", *ALL),
                *_crud("articleauthor", *ALL),
                *_crud("image", "add", "change", "view"),
                *_crud("tag", "add", "view"),
                *_crud("author", "view"),
                *_crud("section", "view"),
                *_crud("correction", "view"),
                "articles.view_historicalarticle",
            ],
            EDITORS: [
                *[perm for model in NEWSROOM_MODELS for perm in _crud(model, *ALL)],
                *_crud("slugredirect", *ALL),
                *_crud("workflowevent", "view"),
                "articles.view_historicalarticle",
                "articles.publish_article",
                "articles.send_alert",
            ],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
