"""The stored search documents: one per story, derived from it, its bylines and its tags.

PostgreSQL keeps a weighted tsvector in Article.search_document (GIN-indexed): headline A;
dek and tag names B; the body's text C; author names D, so that a story about someone ranks
above one merely signed by them. SQLite keeps the same fields, unweighted, in the FTS5 table
articles_article_fts (rowid = the article's id), weighed when searched (articles.search).

Every write that changes one of those fields calls article_search_document_refresh: the
article service after a save, the receivers in articles.apps for bylines, tags and renamed
authors or topics, seed_demo and the archive loader. The workflow moves no indexed field
(visibility is filtered when searching), so it does not call it. The text search configuration
is settings.SEARCH_LANGUAGE; `manage.py rebuild_search` rewrites every document after it
changes.
"""

import html
import re
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import F, Func, OuterRef, QuerySet, Subquery, TextField, Value

from articles.models import Article, ArticleAuthor

FTS_TABLE = "articles_article_fts"
# Markup is no word a reader looks for.
TAG_PATTERN = "<[^>]*>"
REBUILD_BATCH = 2000
SQLITE_BATCH = 500

ArticleTag = Article.tags.through


def article_search_document_refresh(article_ids: Iterable[int] | QuerySet) -> None:
    """Rewrite the search documents of these stories, in SQL. `article_ids` may be a queryset
    (`.values_list("article_id", flat=True)`), which PostgreSQL runs as a subquery of one
    UPDATE. A story no longer there loses its SQLite row."""
    if connection.vendor == "postgresql":
        Article.objects.filter(pk__in=article_ids).update(search_document=_document())
    elif connection.vendor == "sqlite":
        ids = list(article_ids)
        for start in range(0, len(ids), SQLITE_BATCH):
            _fts_refresh(ids[start : start + SQLITE_BATCH])


def article_search_rebuild(*, batch: int = REBUILD_BATCH) -> int:
    """Every story's document, in batches of consecutive ids; returns how many stories."""
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        article_search_document_refresh(
            Article.objects.filter(pk__gte=chunk[0], pk__lte=chunk[-1]).values_list(
                "pk", flat=True
            )
        )
    return len(ids)


def _names(through, field: str):
    return Subquery(
        through.objects.filter(article_id=OuterRef("pk"))
        .order_by()
        .values("article_id")
        .annotate(names=StringAgg(field, delimiter=" "))
        .values("names")
    )


def _document() -> SearchVector:
    config = settings.SEARCH_LANGUAGE
    body_text = Func(
        F("body"),
        Value(TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )
    return (
        SearchVector("headline", weight="A", config=config)
        + SearchVector("dek", weight="B", config=config)
        + SearchVector(_names(ArticleTag, "tag__name"), weight="B", config=config)
        + SearchVector(body_text, weight="C", config=config)
        + SearchVector(_names(ArticleAuthor, "author__name"), weight="D", config=config)
    )


def _text(body: str) -> str:
    return html.unescape(re.sub(TAG_PATTERN, " ", body))


def _fts_refresh(ids: list[int]) -> None:
    names = {"tags": defaultdict(list), "authors": defaultdict(list)}
    for article_id, name in ArticleTag.objects.filter(article_id__in=ids).values_list(
        "article_id", "tag__name"
    ):
        names["tags"][article_id].append(name)
    for article_id, name in ArticleAuthor.objects.filter(article_id__in=ids).values_list(
        "article_id", "author__name"
    ):
        names["authors"][article_id].append(name)
    rows = [
        (
            pk,
            headline,
            dek,
            " ".join(names["tags"][pk]),
            _text(body),
            " ".join(names["authors"][pk]),
        )
        for pk, headline, dek, body in Article.objects.filter(pk__in=ids).values_list(
            "pk", "headline", "dek", "body"
        )
    ]
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, headline, dek, tags, body, authors) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )


# Receivers, connected in articles.apps.


def byline_changed(sender, instance, **kwargs):
    """A byline saved or deleted, or a story deleted (SQLite's row goes with it)."""
    article_search_document_refresh([getattr(instance, "article_id", instance.pk)])


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        instance.search_cleared = list(instance.articles.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        if not reverse:
            article_search_document_refresh([instance.pk])
        else:
            article_search_document_refresh(pk_set or instance.__dict__.pop("search_cleared", []))


def name_changed(sender, instance, created=False, **kwargs):
    if not created:
        article_search_document_refresh(instance.articles.values_list("pk", flat=True))


def tag_deleted(sender, instance, **kwargs):
    """Its links go without signals, after this; the documents are rewritten once they have."""
    article_ids = list(instance.articles.values_list("pk", flat=True))
    transaction.on_commit(lambda: article_search_document_refresh(article_ids))
