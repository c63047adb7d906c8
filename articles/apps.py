from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from articles import signals


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from accounts.account_data import AccountPart, account_part_register
        from accounts.signals import display_name_changed
        from articles import (
            checks,  # noqa: F401 - registers the start-up checks
            comments,
            receivers,
            search_index,
        )
        from articles.models import Article, ArticleAuthor, Author, Correction, Image, Section, Tag

        # Stored pages show these (the menu, bylines, topics, pictures and their alt text) but
        # the admin saves them through its plain forms: each change moves the scopes of what
        # shows it (articles/scopes.py).
        for signal in (post_save, post_delete):
            signal.connect(receivers.chrome_moves, sender=Section, dispatch_uid="scopes-Section")
            uid = "scopes-Correction"
            signal.connect(receivers.correction_moves, sender=Correction, dispatch_uid=uid)
        for model in (Tag, Author, Image):
            uid = f"scopes-{model.__name__}"
            for signal in (post_save, pre_delete):
                signal.connect(receivers.showing_stories_move, sender=model, dispatch_uid=uid)
        # A story deleted outright (its edits and workflow go through services.py).
        pre_delete.connect(
            receivers.article_deleting, sender=Article, dispatch_uid="scopes-Article"
        )
        post_delete.connect(
            receivers.article_deleted, sender=Article, dispatch_uid="article-deleted"
        )
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
        signals.article_went_live.connect(receivers.story_moves, dispatch_uid="scopes-went-live")
        signals.article_unpublished.connect(
            receivers.story_moves, dispatch_uid="scopes-unpublished"
        )
        display_name_changed.connect(receivers.threads_move, dispatch_uid="scopes-display-name")
        account_part_register(
            AccountPart(
                name="comments",
                export=comments.reader_comments_export,
                delete=comments.reader_comments_anonymise,
            )
        )
