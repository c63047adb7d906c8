"""The newsroom's models, one module per area; each area's models are imported here."""

from articles.models.content import (
    LIVE_STATUSES,
    Article,
    ArticleAuthor,
    ArticleQuerySet,
    Author,
    Correction,
    Image,
    Section,
    SlugRedirect,
    Status,
    Tag,
    WorkflowEvent,
)

__all__ = [
    "LIVE_STATUSES",
    "Article",
    "ArticleAuthor",
    "ArticleQuerySet",
    "Author",
    "Correction",
    "Image",
    "Section",
    "SlugRedirect",
    "Status",
    "Tag",
    "WorkflowEvent",
]
