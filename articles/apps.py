from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from articles import signals
from articles.caching import content_changed


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from accounts.account_data import AccountPart, account_part_register
        from accounts.signals import display_name_changed
        from articles import comments, search_index
        from articles.models import Article, ArticleAuthor, Author, Image, Section, Tag

        # Stored pages show these (the menu, bylines, topics, pictures and their alt text) but
        # the admin saves them through its plain forms: each change moves the content version.
        # A new section joins the menu at once; a new author, topic or picture shows only once
        # a story carries it, and saving the story moves the version.
        post_save.connect(_version_moves, sender=Section, dispatch_uid="content-Section")
        for model in (Tag, Author, Image):
            uid = f"content-{model.__name__}"
            post_save.connect(_version_moves_unless_new, sender=model, dispatch_uid=uid)
        for model in (Section, Tag, Author, Image):
            uid = f"content-{model.__name__}"
            post_delete.connect(_version_moves, sender=model, dispatch_uid=uid)
        # A story deleted outright (its edits and workflow go through services.py).
        post_delete.connect(_article_deleted, sender=Article, dispatch_uid="article-deleted")
        # The search documents hold bylines and topics, which the admin and seeding change
        # outside the article service; a renamed author or topic rewrites its stories' ones.
        for action in (post_save, post_delete):
            action.connect(
                search_index.byline_changed, sender=ArticleAuthor, dispatch_uid="search-byline"
            )
        m2m_changed.connect(
            search_index.tags_changed, sender=Article.tags.through, dispatch_uid="search-tags"
        )
        for model in (Author, Tag):
            uid = f"search-{model.__name__}"
            post_save.connect(search_index.name_changed, sender=model, dispatch_uid=uid)
        pre_delete.connect(search_index.tag_deleted, sender=Tag, dispatch_uid="search-Tag")
        post_delete.connect(
            search_index.byline_changed, sender=Article, dispatch_uid="search-article"
        )
        # The workflow's moments, and a reader's name under their comments.
        signals.article_went_live.connect(_version_moved, dispatch_uid="content-went-live")
        signals.article_unpublished.connect(_version_moves, dispatch_uid="content-unpublished")
        signals.article_deleted.connect(_version_moves, dispatch_uid="content-deleted")
        display_name_changed.connect(_version_moved, dispatch_uid="content-display-name")
        account_part_register(
            AccountPart(
                name="comments",
                export=comments.reader_comments_export,
                delete=comments.reader_comments_anonymise,
            )
        )


def _article_deleted(sender, instance, **kwargs):
    signals.article_deleted.send(sender=sender, article_id=instance.pk)


def _version_moves(sender, **kwargs):
    """Once the change that calls this is committed."""
    transaction.on_commit(content_changed)


def _version_moved(sender, **kwargs):
    """For a change already committed."""
    content_changed()


def _version_moves_unless_new(sender, created=False, **kwargs):
    if not created:
        transaction.on_commit(content_changed)
