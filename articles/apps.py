from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from articles.caching import content_changed


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from articles.models import Article, Author, Image, Section, Tag

        # Stored pages show these (the menu, bylines, topics, pictures and their alt text) but
        # the admin saves them through its plain forms: each change moves the content version.
        # A new section joins the menu at once; a new author, topic or picture shows only once
        # a story carries it, and saving the story moves the version.
        post_save.connect(_version_moves, sender=Section, dispatch_uid="content-Section")
        for model in (Tag, Author, Image):
            uid = f"content-{model.__name__}"
            post_save.connect(_version_moves_unless_new, sender=model, dispatch_uid=uid)
        # A story deleted outright (its edits and workflow go through services.py).
        for model in (Article, Section, Tag, Author, Image):
            uid = f"content-{model.__name__}"
            post_delete.connect(_version_moves, sender=model, dispatch_uid=uid)


def _version_moves(sender, **kwargs):
    transaction.on_commit(content_changed)


def _version_moves_unless_new(sender, created=False, **kwargs):
    if not created:
        transaction.on_commit(content_changed)
