"""The newsroom's models, one module per area; each area's models are imported here."""

from articles.models.autosaves import ArticleAutosave
from articles.models.comments import Comment, CommentThread
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
from articles.models.imports import ImportJob
from articles.models.live import LiveCoverage, LiveUpdate
from articles.models.media import Rendition
from articles.models.pages import FrontPin, NewsroomPage
from articles.models.redirects import Redirect

__all__ = [
    "LIVE_STATUSES",
    "Article",
    "ArticleAuthor",
    "ArticleAutosave",
    "ArticleQuerySet",
    "Author",
    "Comment",
    "CommentThread",
    "Correction",
    "FrontPin",
    "Image",
    "ImportJob",
    "LiveCoverage",
    "LiveUpdate",
    "NewsroomPage",
    "Redirect",
    "Rendition",
    "Section",
    "SlugRedirect",
    "Status",
    "Tag",
    "WorkflowEvent",
]
