"""Reads for the reader-facing pages. Everything a reader sees starts from published()."""

from django.db.models import Prefetch, QuerySet

from articles.models import Article, ArticleAuthor


def article_list_published() -> QuerySet[Article]:
    return (
        Article.objects.published()
        .select_related("section", "lead_image")
        .prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
        )
        .order_by("-publish_at", "-id")
    )


def article_for_reader(slug: str) -> Article | None:
    return (
        article_list_published().prefetch_related("tags", "corrections").filter(slug=slug).first()
    )
