"""A live story's timeline as its article page shows it: the key points (public, as update
headlines are), the pinned updates and the newest (gated, with the rest of the body); see
articles/live_pages.py for the rest of what readers get of a live story."""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from articles.models import Article, LiveCoverage, LiveUpdate

# Updates on the article page and on each page of older ones.
UPDATES_PAGE_SIZE = 20
KEY_POINTS = 8


@dataclass(frozen=True)
class LiveView:
    """What a live story's page shows of its coverage."""

    coverage: LiveCoverage
    key_points: list[LiveUpdate]
    pinned: list[LiveUpdate]
    updates: list[LiveUpdate]
    has_older: bool
    poll_url: str
    feed_url: str
    poll_seconds: int


def shown_updates(coverage_id: int):
    return (
        LiveUpdate.objects.shown()
        .filter(coverage_id=coverage_id)
        .select_related("author", "image")
        .prefetch_related("image__renditions")
    )


def published_coverage(**article_lookup) -> LiveCoverage | None:
    """The coverage of the published story found by `article_lookup` (pk=, slug=)."""
    lookup = {f"article__{name}": value for name, value in article_lookup.items()}
    return (
        LiveCoverage.objects.select_related("article__section")
        .filter(article__in=Article.objects.published(), **lookup)
        .first()
    )


def live_view(article: Article) -> LiveView | None:
    """The coverage of a story that has (or had) any, for its page; None for others."""
    coverage = LiveCoverage.objects.filter(pk=article.pk).first()
    if coverage is None:
        return None
    shown = shown_updates(coverage.pk)
    updates = list(shown.filter(is_pinned=False)[: UPDATES_PAGE_SIZE + 1])
    return LiveView(
        coverage=coverage,
        key_points=list(shown.filter(is_key_point=True)[:KEY_POINTS]),
        pinned=list(shown.filter(is_pinned=True)),
        updates=updates[:UPDATES_PAGE_SIZE],
        has_older=len(updates) > UPDATES_PAGE_SIZE,
        poll_url=reverse("articles:live_new", args=[article.pk]),
        feed_url=reverse("articles:live_feed", args=[article.slug]),
        poll_seconds=settings.LIVE_POLL_SECONDS,
    )


def live_timeline_html(request, article: Article, live: LiveView) -> str:
    """The gated part: pinned updates, then the newest, with the address open pages poll."""
    context = {"article": article, "live": live}
    return render_to_string("articles/live/timeline.html", context, request)


def update_html(update: LiveUpdate) -> str:
    return render_to_string("articles/live/update.html", {"update": update})
