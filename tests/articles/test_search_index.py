"""The stored search documents and the query features, on whichever database the suite runs
(SQLite's FTS5 table or PostgreSQL's search_document): run it both ways."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from lxml import html

from articles.models import Article, ArticleAuthor
from articles.search import SearchFilters, article_search, fts5_query
from tests import factories

pytestmark = pytest.mark.django_db


def found(query, **filters):
    return [
        article.headline for article in article_search(query, filters=SearchFilters(**filters))
    ]


def test_body_tags_and_bylines_are_searched_and_follow_their_changes(editor, section):
    tag = factories.TagFactory(name="Wetlands")
    author = factories.AuthorFactory(name="Ottoline Marsh")
    factories.article_published(
        by=editor,
        section=section,
        headline="Council votes",
        body="<p>The <strong>heron</strong> colony stays.</p>",
        tags=[tag],
        authors=[author],
    )
    assert found("heron") == found("wetlands") == found("ottoline") == ["Council votes"]
    assert found("strong") == []  # markup is not text
    author.name = "Ottoline Fenwick"
    author.save()
    tag.name = "Moorland"
    tag.save()
    assert found("fenwick") == found("moorland") == ["Council votes"]
    assert found("marsh") == found("wetlands") == []
    article = Article.objects.get()
    article.tags.clear()
    ArticleAuthor.objects.filter(article=article).delete()
    assert found("moorland") == found("fenwick") == []


def test_deleting_a_tag_or_a_story_leaves_no_match(
    editor, section, django_capture_on_commit_callbacks
):
    tag = factories.TagFactory(name="Lighthouses")
    story = factories.article_published(by=editor, section=section, tags=[tag])
    with django_capture_on_commit_callbacks(execute=True):
        tag.delete()
    assert found("lighthouses") == []
    factories.article_published(by=editor, section=section, headline="Ferry timetable")
    story.delete()
    assert found("headline") == []


def test_websearch_syntax(editor, section):
    for headline in ["Red kite returns", "Kite festival", "Red squirrel count", "Blue heron"]:
        factories.article_published(by=editor, section=section, headline=headline)
    assert sorted(found("kite")) == ["Kite festival", "Red kite returns"]
    assert found('"red kite"') == ["Red kite returns"]
    assert found("kite -red") == ["Kite festival"]
    assert sorted(found("squirrel OR heron")) == ["Blue heron", "Red squirrel count"]
    # As websearch_to_tsquery reads it: (red AND squirrel) OR kite.
    assert sorted(found("red squirrel OR kite")) == [
        "Kite festival",
        "Red kite returns",
        "Red squirrel count",
    ]
    assert found('kite NEAR(red) "unclosed') == []


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("kite", '("kite")'),
        ('"red kite" -festival', '(("red kite") NOT "festival")'),
        ("a OR b c -d", '("a") OR (("b" AND "c") NOT "d")'),
        ('kite* col:x NEAR(a b) "q""', '("kite*" AND "col:x" AND "NEAR(a" AND "b)" AND "q")'),
        ("-only --", ""),
        ("OR", ""),
    ],
)
def test_fts5_query_quotes_every_term(typed, expression):
    assert fts5_query(typed) == expression


def test_recent_stories_rank_first_among_equals(editor, section):
    now = timezone.now()
    factories.article_published(
        by=editor, section=section, headline="Old flood", now=now - timedelta(days=900)
    )
    factories.article_published(by=editor, section=section, headline="New flood", now=now)
    assert found("flood") == ["New flood", "Old flood"]


def test_filters_by_section_author_and_dates(editor, section):
    other = factories.SectionFactory()
    author = factories.AuthorFactory()
    now = timezone.now()
    factories.article_published(
        by=editor, section=section, headline="Tide one", now=now - timedelta(days=40)
    )
    factories.article_published(by=editor, section=other, headline="Tide two", authors=[author])
    assert found("tide", section=other.slug) == ["Tide two"]
    assert found("tide", author=author.slug) == ["Tide two"]
    assert found("tide", until=(now - timedelta(days=30)).date()) == ["Tide one"]
    assert found("tide", since=(now - timedelta(days=1)).date()) == ["Tide two"]


def test_search_pages_are_bounded_keep_their_filters_and_cost_the_same(
    client, editor, section, django_assert_max_num_queries
):
    for n in range(25):
        factories.article_published(by=editor, section=section, headline=f"Storm {n}")
    params = {"q": "storm", "section": section.slug}
    with django_assert_max_num_queries(8):
        first = client.get("/search/", params)
    doc = html.fromstring(first.content)
    assert len(doc.cssselect("article.teaser")) == 20
    assert doc.cssselect("a[rel=next]")[0].get("href") == f"?q=storm&section={section.slug}&page=2"
    with django_assert_max_num_queries(8):
        assert client.get("/search/", {**params, "page": 2}).status_code == 200
    assert client.get("/search/", {**params, "page": 3}).status_code == 404
    assert client.get("/search/", {**params, "page": "x"}).status_code == 404


def test_rebuild_search_rewrites_documents_changed_in_sql(editor, section, settings):
    factories.article_published(by=editor, section=section, headline="Glacier retreats")
    Article.objects.update(headline="Volcanoes wake")
    assert found("volcano") == []
    call_command("rebuild_search", stdout=io.StringIO())
    assert found("volcano") == ["Volcanoes wake"]
    if connection.vendor == "postgresql":  # the configuration's stemming: none in "simple"
        settings.SEARCH_LANGUAGE = "simple"
        call_command("rebuild_search", stdout=io.StringIO())
        assert found("volcano") == []
        assert found("volcanoes") == ["Volcanoes wake"]
