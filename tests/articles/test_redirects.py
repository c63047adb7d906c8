"""The redirect table: consulted when nothing else answered, and for WordPress's /?p= links."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Redirect


def _redirect_queries(captured) -> list[str]:
    return [query["sql"] for query in captured if "articles_redirect" in query["sql"]]


def test_a_page_that_is_found_pays_nothing(client, published_article):
    Redirect.objects.create(old_path="/old/", target="/new/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(published_article.get_absolute_url()).status_code == 200
        assert client.get("/").status_code == 200
        assert client.get("/?page=2").status_code == 200
    assert _redirect_queries(captured) == []


def test_an_unknown_path_costs_one_indexed_lookup(client, db):
    Redirect.objects.create(old_path="/old/", target="/new/", code=302)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/old/")
    assert (response.status_code, response["Location"]) == (302, "/new/")
    assert len(_redirect_queries(captured)) == 1
    assert client.get("/nowhere/").status_code == 404


def test_a_query_redirect_answers_only_its_query(client, published_article):
    Redirect.objects.create(old_path="/", query="p=7", article=published_article)
    Redirect.objects.create(old_path="/archive.php", query="id=3", target="/section/news/")
    response = client.get("/?p=7")
    assert (response.status_code, response["Location"]) == (
        301,
        published_article.get_absolute_url(),
    )
    assert client.get("/?p=8").status_code == 404
    assert client.get("/archive.php?id=3")["Location"] == "/section/news/"
    assert client.get("/archive.php?id=4").status_code == 404


def test_a_redirect_follows_its_story_to_its_current_slug(client, published_article):
    Redirect.objects.create(old_path="/2019/05/story/", article=published_article)
    published_article.slug = "renamed"
    published_article.save()
    assert client.get("/2019/05/story/")["Location"] == "/articles/renamed/"


def test_editors_keep_redirects_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/articles/redirect/add/",
        {"old_path": "/shop/", "query": "", "target": "/donate/", "code": 302},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Redirect.objects.get(old_path="/shop/").target == "/donate/"
