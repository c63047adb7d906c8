from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.models import Author, Image, Section, Tag

        # Stored pages show these (the menu, bylines, tags, pictures and their alt text) but
        # are saved through the admin's plain forms: each change moves the content version.
        for model in (Section, Tag, Author, Image):
            uid = f"content-changed-{model.__name__}"
            post_save.connect(_shown_row_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_shown_row_changed, sender=model, dispatch_uid=uid)


def _shown_row_changed(sender, **kwargs):
    from articles.caching import content_changed

    transaction.on_commit(content_changed)
