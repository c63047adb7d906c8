"""Search over published stories, through the stored documents of articles.search_index.

Readers type what PostgreSQL's websearch_to_tsquery reads: words (all must match), "quoted
phrases", -word to exclude, OR between alternatives. SQLite gets the same syntax translated
to FTS5, each term quoted, so that nothing a reader types is FTS5 syntax.

Ranking: relevance (ts_rank over the weighted document, or FTS5's bm25 with the same weights)
divided by 1 + the story's age in years, so a year-old story needs twice the relevance of
today's to rank alongside it. Only the newest SEARCH_RANKED matches are ranked (ten pages of
results): they are found by walking the live stories' publish-time index newest first and
testing each document, so a word found in most of the archive reads about SEARCH_RANKED
documents, whatever the archive's size, and a rare one is found through the GIN index. A reader
still sees the recent matches first; older ones are reached by narrowing the words, section
or dates. Only those matches' documents are read for their rank.

Highlights come from the headline and dek only, never the body, so a result never shows
text that the paywall would withhold.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.search_index import FTS_TABLE
from articles.selectors import article_list_published

# Control characters cannot appear in saved text, so they mark matches unambiguously until
# the template escapes the text and turns them into <mark>.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"
SEARCH_RANKED = 200
# Where the newest matches are looked for first, in turn (see _postgres_ranked).
SEARCH_RECENT_FIRST = (timedelta(days=90), timedelta(days=365))
SECONDS_PER_YEAR = 365.25 * 86400
# bm25's column weights in FTS5 column order (headline, dek, tags, body, authors): the ratios
# of PostgreSQL's default weights for A, B, B, C, D.
FTS_WEIGHTS = (1.0, 0.4, 0.4, 0.2, 0.1)
# A quoted phrase (its closing quote optional, as in websearch_to_tsquery), or a word; either
# may carry a leading minus.
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class SearchFilters:
    """What a reader may narrow a search to (GET parameters section, author, from, to)."""

    section: str = ""
    author: str = ""
    since: date | None = None
    until: date | None = None

    def apply(self, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.section:
            queryset = queryset.filter(section__slug=self.section)
        if self.author:
            queryset = queryset.filter(bylines__author__slug=self.author)
        if self.since:
            queryset = queryset.filter(publish_at__gte=_day_start(self.since))
        if self.until:
            queryset = queryset.filter(publish_at__lt=_day_start(self.until, after=True))
        return queryset


def _day_start(day: date, *, after: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(days=int(after))


class SearchResults:
    """Ranked matches as a sequence for the paginator: the ranked ids are known (at most
    SEARCH_RANKED), and a slice fetches only its stories, each with headline_marked and
    dek_marked (see HIGHLIGHT_START)."""

    def __init__(self, query: str, ids: list[int]):
        self.query, self.ids = query, ids

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Article]:
        return iter(self[:])

    def __getitem__(self, index: slice) -> list[Article]:
        ids = self.ids[index]
        if not ids:
            return []
        by_id = {article.pk: article for article in _marked(self.query, ids)}
        return [by_id[pk] for pk in ids if pk in by_id]


def article_search(
    query: str, *, filters: SearchFilters = SearchFilters(), now: datetime | None = None
) -> SearchResults:
    query = query.strip()
    now = now or timezone.now()
    published = filters.apply(Article.objects.published(now))
    if not query:
        return SearchResults(query, [])
    if connection.vendor == "postgresql":
        return SearchResults(query, _postgres_ranked(query, published, now))
    return SearchResults(query, _sqlite_ranked(query, published, now))


def _search_query(query: str) -> SearchQuery:
    return SearchQuery(query, search_type="websearch", config=settings.SEARCH_LANGUAGE)


def article_matching(query: str) -> Q:
    """Stories, in any state, whose document matches the query: for the admin's search."""
    if connection.vendor == "postgresql":
        return Q(search_document=_search_query(query))
    return _fts_matching(fts5_query(query))


def article_matching_prefixes(text: str) -> Q:
    """Stories whose document has a word starting with each word typed: for autocompletes,
    which ask while the editor is still typing. Only letters and digits reach the query."""
    words = re.findall(r"\w+", text)[:8]
    if not words:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        prefixes = " & ".join(f"{word}:*" for word in words)
        return Q(
            search_document=SearchQuery(
                prefixes, search_type="raw", config=settings.SEARCH_LANGUAGE
            )
        )
    return _fts_matching(" AND ".join(f'"{word}"*' for word in words))


def _fts_matching(expression: str) -> Q:
    if not expression:
        return Q(pk__in=[])
    return Q(
        pk__in=RawSQL(  # noqa: S611 - the expression is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [expression],
        )
    )


def _postgres_ranked(query: str, published: QuerySet[Article], now: datetime) -> list[int]:
    """The newest matches are found first, then only they are ranked. A word the planner
    takes for rare (one outside its statistics' common lexemes) but found in some 10,000
    stories has every match read and sorted: ranked in the same statement, each match's
    document was read too (70 to 130 ms at 200,000 stories). They are looked for among the
    last 90 days' stories, then the last year's, where the publish-time index narrows the
    matches before they are read (4 to 6 ms, 9 to 19), and in the whole archive only when
    the year holds fewer than SEARCH_RANKED: a word that rare is few rows for the GIN index.
    The newest SEARCH_RANKED are the same either way."""
    matching = published.filter(article_matching(query)).order_by("-publish_at", "-id")
    for span in SEARCH_RECENT_FIRST:
        newest = _ids(matching.filter(publish_at__gte=now - span))
        if len(newest) == SEARCH_RANKED:
            break
    else:
        newest = _ids(matching)
    ranked = (
        Article.objects.filter(pk__in=newest)
        .annotate(relevance=SearchRank(F("search_document"), _search_query(query)))
        .values_list("pk", "publish_at", "relevance")
    )
    return _by_score(list(ranked), now)


def _ids(matching: QuerySet[Article]) -> list[int]:
    return list(matching.values_list("pk", flat=True)[:SEARCH_RANKED])


def _by_score(rows: list[tuple[int, datetime, float]], now: datetime) -> list[int]:
    """Ids by relevance (higher is better) over 1 + age in years, then newest first."""

    def score(row: tuple[int, datetime, float]) -> tuple[float, float, int]:
        pk, publish_at, relevance = row
        age_years = max((now - publish_at).total_seconds(), 0) / SECONDS_PER_YEAR
        return (-relevance / (1 + age_years), -publish_at.timestamp(), -pk)

    return [row[0] for row in sorted(rows, key=score)]


def fts5_query(text: str) -> str:
    """websearch syntax as an FTS5 expression, with websearch_to_tsquery's precedence: `OR`
    separates alternatives, each of words and phrases that must all match, less those with a
    minus. Every term is a quoted FTS5 string. FTS5 cannot say "anything but": an alternative
    of exclusions only is dropped, and an empty result matches nothing."""
    alternatives: list[tuple[list[str], list[str]]] = [([], [])]
    for match in _TOKEN.finditer(text):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            if any(alternatives[-1]):
                alternatives.append(([], []))
            continue
        if word is not None and word.startswith("-"):
            minus, word = "-", word[1:]
        term = phrase if phrase is not None else word
        if re.search(r"\w", term):
            alternatives[-1][bool(minus)].append('"' + term.replace('"', '""') + '"')
    expressions = []
    for required, excluded in alternatives:
        if not required:
            continue
        expression = " AND ".join(required)
        for term in excluded:
            expression = f"({expression}) NOT {term}"
        expressions.append(f"({expression})")
    return " OR ".join(expressions)


def _sqlite_ranked(query: str, published: QuerySet[Article], now: datetime) -> list[int]:
    expression = fts5_query(query)
    if not expression:
        return []
    # Joined in one statement: FTS5 computes bm25 during the match, whereas a rowid IN list
    # would run the match once per id.
    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    newest = (
        published.extra(  # noqa: S610 - the expression is a parameter
            select={"relevance": f"-bm25({FTS_TABLE}, {weights})"},
            tables=[FTS_TABLE],
            where=[f"{FTS_TABLE}.rowid = articles_article.id", f"{FTS_TABLE} MATCH %s"],
            params=[expression],
        )
        .order_by("-publish_at", "-id")
        .values_list("pk", "publish_at", "relevance")[:SEARCH_RANKED]
    )
    return _by_score(list(newest), now)


def _marked(query: str, ids: list[int]) -> list[Article]:
    """The stories of one page, with their headline and dek marked where they match."""
    stories = article_list_published().filter(pk__in=ids)
    if connection.vendor == "postgresql":
        search_query = _search_query(query)
        marks = {
            "config": settings.SEARCH_LANGUAGE,
            "start_sel": HIGHLIGHT_START,
            "stop_sel": HIGHLIGHT_STOP,
            "highlight_all": True,
        }
        return list(
            stories.annotate(
                headline_marked=SearchHeadline("headline", search_query, **marks),
                dek_marked=SearchHeadline("dek", search_query, **marks),
            )
        )
    stories = list(stories)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, highlight({FTS_TABLE}, 0, %s, %s), "  # noqa: S608
            f"highlight({FTS_TABLE}, 1, %s, %s) FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s AND rowid IN ({marks})",
            [*(HIGHLIGHT_START, HIGHLIGHT_STOP) * 2, fts5_query(query), *ids],
        )
        highlighted = {pk: (headline, dek) for pk, headline, dek in cursor.fetchall()}
    for story in stories:
        story.headline_marked, story.dek_marked = highlighted.get(
            story.pk, (story.headline, story.dek)
        )
    return stories
