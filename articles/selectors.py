"""Reads for the reader-facing pages. Everything a reader sees starts from published()."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import groupby

from django.db.models import F, Min, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from articles.models import LIVE_STATUSES, Article, ArticleAuthor, NewsroomPage, Section

TOP_STORIES = 4
LATEST_STORIES = 10
SECTION_BLOCK_STORIES = 3
# Section blocks on the front, in the editors' section order; the menu reaches the rest.
FRONT_SECTIONS = 10
RELATED_STORIES = 4
# A story flagged breaking leads the strip for this long; editors need not remember to unflag.
BREAKING_FOR = timedelta(hours=12)


def article_list_published(now: datetime | None = None) -> QuerySet[Article]:
    """Published stories with what a teaser shows (section, picture and its renditions);
    not the body, the largest part of a row."""
    return (
        Article.objects.published(now)
        .defer("body")
        .select_related("section", "lead_image")
        .prefetch_related("lead_image__renditions")
        .order_by("-publish_at", "-id")
    )


def article_with_details(queryset: QuerySet[Article]) -> QuerySet[Article]:
    """What the article page shows beyond a teaser, in a fixed number of queries."""
    return queryset.select_related("section", "lead_image").prefetch_related(
        "lead_image__renditions",
        Prefetch(
            "bylines",
            queryset=ArticleAuthor.objects.select_related("author").only(
                "article_id", "position", "author__name", "author__slug", "author__bio"
            ),
        ),
        "tags",
        "corrections",
    )


def article_for_reader(slug: str) -> Article | None:
    return article_with_details(Article.objects.published()).filter(slug=slug).first()


def article_related(
    *, article_id: int, section_id: int, tag_ids: tuple[int, ...]
) -> list[Article]:
    """Latest stories sharing a tag with this one, then the rest of its section."""
    shares_tag = Q(tags__in=tag_ids) if tag_ids else Q(pk__in=[])
    candidates = (
        article_list_published()
        .filter(shares_tag | Q(section_id=section_id))
        .exclude(pk=article_id)
        .distinct()
    )
    return list(candidates[:RELATED_STORIES])


def article_modified_at(article: Article) -> datetime:
    """The last change a reader can see: an edit or a correction (prefetched)."""
    return max([article.updated_at, *(c.created_at for c in article.corrections.all())])


@dataclass
class Front:
    lead: Article | None = None
    top: list[Article] = field(default_factory=list)
    latest: list[Article] = field(default_factory=list)
    breaking: list[Article] = field(default_factory=list)
    sections: list[tuple[Section, list[Article]]] = field(default_factory=list)
    # The next moment it changes with nobody editing: a breaking story leaves the strip, or a
    # scheduled story comes live (by query, before any go-live work has run). None: never.
    changes_at: datetime | None = None

    def article_ids(self) -> set[int]:
        """Every story the front shows."""
        shown = [self.lead, *self.top, *self.latest, *self.breaking]
        shown += [article for _, articles in self.sections for article in articles]
        return {article.pk for article in shown if article is not None}


def front_page(now: datetime | None = None) -> Front:
    """The home front: editors' pins in their order first, then everything else by time."""
    now = now or timezone.now()
    published = article_list_published(now)
    pinned = list(
        published.filter(front_pin__isnull=False).order_by("front_pin__position", "-publish_at")[
            : TOP_STORIES + 1
        ]
    )
    rest = list(
        published.exclude(pk__in=[a.pk for a in pinned])[: TOP_STORIES + 1 + LATEST_STORIES]
    )
    ordered = pinned + rest
    next_scheduled = Article.objects.filter(
        status__in=LIVE_STATUSES, publish_at__gt=now
    ).aggregate(moment=Min("publish_at"))["moment"]
    if not ordered:
        return Front(changes_at=next_scheduled)
    lead, top_count = ordered[0], TOP_STORIES + 1
    ranked = published.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("section_id")],
            order_by=[F("publish_at").desc(), F("id").desc()],
        )
    ).filter(rank__lte=SECTION_BLOCK_STORIES)
    by_section = sorted(ranked, key=lambda a: (a.section.position, a.section.name, a.rank))
    breaking = [a for a in ordered if a.is_breaking and a.publish_at >= now - BREAKING_FOR]
    moments = [a.publish_at + BREAKING_FOR for a in breaking]
    return Front(
        lead=lead,
        top=ordered[1:top_count],
        latest=ordered[top_count:],
        breaking=breaking,
        sections=[
            (section, list(stories))
            for section, stories in groupby(by_section, key=lambda a: a.section)
        ][:FRONT_SECTIONS],
        changes_at=min([*moments, next_scheduled] if next_scheduled else moments, default=None),
    )


def section_navigation() -> list[Section]:
    return list(Section.objects.all())


def newsroom_pages_for_footer() -> list[NewsroomPage]:
    return list(NewsroomPage.objects.filter(in_footer=True).only("title", "slug"))
