"""The article admin at archive scale: its searches, filters and counts read indexes, and
what it saves (bylines and tags included) reaches the search documents."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from articles.models import Article, ArticleAuthor
from articles.search import article_matching
from tests import factories
from tests.articles.test_admin import ADD_URL, change_url, form_data

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/articles/article/"


def listed(client, **params):
    doc = html.fromstring(client.get(LIST_URL, params).content)
    return [link.text_content() for link in doc.cssselect("#result_list tbody th a")]


def matching(words):
    return list(Article.objects.filter(article_matching(words)))


def test_what_the_admin_saves_is_searched(client, editor, section):
    tag = factories.TagFactory(name="Lighthouses")
    author = factories.AuthorFactory(name="Imogen Quayle")
    client.force_login(editor)
    data = form_data(
        section,
        tags=[tag.pk],
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-position": "0",
            "body": "<p>The pontoon was repaired.</p>",
        },
    )
    assert client.post(ADD_URL, data).status_code == 302
    for word in ["pontoon", "lighthouses", "quayle"]:
        assert [a.headline for a in matching(word)] == ["Harbour ferry returns"], word
    article = Article.objects.get()
    changed = data | {"body": "<p>The slipway was repaired.</p>", "tags": [], "base_version": 1}
    changed |= {
        "bylines-INITIAL_FORMS": "1",
        "bylines-0-id": ArticleAuthor.objects.get().pk,
        "bylines-0-article": article.pk,
        "bylines-0-DELETE": "on",
    }
    assert client.post(change_url(article), changed).status_code == 302
    assert [len(matching(word)) for word in ["slipway", "pontoon", "lighthouses", "quayle"]] == [
        1,
        0,
        0,
        0,
    ]


def test_article_list_searches_documents_and_filters_without_scans(
    client, editor, section, django_assert_max_num_queries
):
    author = factories.AuthorFactory(name="Rhea Tamsin")
    now = timezone.now()
    factories.article_published(
        by=editor, section=section, headline="Old tide", now=now - timedelta(days=60)
    )
    new = factories.article_published(
        by=editor, section=section, headline="New tide", body="<p>A seal.</p>", authors=[author]
    )
    factories.article_create(by=editor, section=section, headline="Draft about gulls")
    client.force_login(editor)
    for params in [{}, {"q": "tide"}, {"author": author.pk}]:
        with django_assert_max_num_queries(20):
            page = client.get(LIST_URL, params).content.decode()
        assert "publish_at__year" not in page  # no date hierarchy
    assert listed(client, q="seal") == ["New tide"]
    assert listed(client, q="gulls") == ["Draft about gulls"]
    assert listed(client, q='"old tide"') == ["Old tide"]
    assert listed(client, q=new.slug) == ["New tide"]
    assert listed(client, author=author.pk) == ["New tide"]
    assert sorted(listed(client, published_within="30")) == ["New tide"]
    authors_page = client.get("/admin/articles/author/").content.decode()
    assert f"{LIST_URL}?author={author.pk}" in authors_page


def test_story_autocomplete_matches_word_beginnings(client, editor, section):
    factories.article_published(by=editor, section=section, headline="Harbour ferry returns")
    client.force_login(editor)
    params = {"app_label": "articles", "model_name": "frontpin", "field_name": "article"}
    for term, found in [("harb", 1), ("harb fer", 1), ("ferry' & !", 1), ("harbx", 0), ("&", 0)]:
        response = client.get("/admin/autocomplete/", {**params, "term": term})
        assert response.status_code == 200, term
        assert len(response.json()["results"]) == found, term


def test_article_list_reads_no_body_and_counts_a_search_only_to_its_last_page(
    client, editor, section, monkeypatch
):
    for n in range(3):
        factories.article_published(by=editor, section=section, headline=f"Tide {n}")
    monkeypatch.setattr("articles.admin.ArticleAdmin.list_per_page", 1)
    monkeypatch.setattr("articles.admin.ADMIN_SEARCH_MAX_PAGES", 2)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST_URL).content.decode()
    assert not any('"articles_article"."body"' in q["sql"] for q in queries.captured_queries)
    assert "3 articles" in page
    assert "2 articles" in client.get(LIST_URL, {"q": "tide"}).content.decode()
