from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def body_pictures_link(apps, schema_editor):
    """Stories saved before: the library pictures their bodies show, as a save records them."""
    from articles.images import body_media_names

    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("articles", "Image")
    through = Article.body_images.through
    showing = Article.objects.filter(body__contains=f'src="{settings.MEDIA_URL}')
    bodies = showing.order_by("pk").values_list("pk", "body")
    start = 0
    while batch := list(bodies.filter(pk__gt=start)[:BATCH]):
        names = {pk: body_media_names(body) for pk, body in batch}
        wanted = set().union(*names.values())
        ids = dict(Image.objects.filter(file__in=wanted).values_list("file", "pk"))
        through.objects.bulk_create(
            (
                through(article_id=pk, image_id=ids[name])
                for pk, found in names.items()
                for name in found
                if name in ids
            ),
            ignore_conflicts=True,
        )
        start = batch[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_article_version_and_autosave"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="body_images",
            field=models.ManyToManyField(
                blank=True, editable=False, related_name="in_bodies", to="articles.image"
            ),
        ),
        migrations.RunPython(body_pictures_link, migrations.RunPython.noop),
    ]
