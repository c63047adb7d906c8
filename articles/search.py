"""Search over published stories: PostgreSQL full-text when available, else a plain match.

Highlights come from the headline and dek only, never the body, so a result never shows
text that the paywall would withhold.
"""

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

from articles.models import Article
from articles.selectors import article_list_published

# Control characters cannot appear in saved text, so they mark matches unambiguously until
# the template escapes the text and turns them into <mark>.
HIGHLIGHT_START = "\x02"
HIGHLIGHT_STOP = "\x03"
SEARCH_CONFIG = "english"


def article_search(query: str) -> QuerySet[Article]:
    """Published stories matching the query, best first, each with headline_marked and
    dek_marked (see HIGHLIGHT_START)."""
    query = query.strip()
    if not query:
        return Article.objects.none()
    published = article_list_published()
    if connection.vendor != "postgresql":
        return published.filter(Q(headline__icontains=query) | Q(dek__icontains=query)).annotate(
            headline_marked=F("headline"), dek_marked=F("dek")
        )
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    vector = (
        SearchVector("headline", weight="A", config=SEARCH_CONFIG)
        + SearchVector("dek", weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
    )
    marks = {
        "config": SEARCH_CONFIG,
        "start_sel": HIGHLIGHT_START,
        "stop_sel": HIGHLIGHT_STOP,
        "highlight_all": True,
    }
    return (
        published.annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .annotate(
            headline_marked=SearchHeadline("headline", search_query, **marks),
            dek_marked=SearchHeadline("dek", search_query, **marks),
        )
        .order_by("-rank", "-publish_at")
    )
