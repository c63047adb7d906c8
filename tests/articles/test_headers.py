"""Headers on every kind of response the reader's site gives, including feeds and errors."""

import pytest
from django.urls import include, path

from tests import factories

pytestmark = pytest.mark.django_db


def _broken_view(request):
    raise RuntimeError("a fault on our side")


# Served under the site's own URLs, plus one that fails, for the 500 response.
urlpatterns = [path("broken/", _broken_view), path("", include("newsroom.urls"))]


@pytest.fixture
def story(editor, section):
    return factories.article_published(by=editor, section=section)


def _reader_urls(story):
    return [
        "/",
        story.get_absolute_url(),
        story.section.get_absolute_url(),
        "/search/?q=headline",
        "/feed/",
        "/feed/atom/",
        f"/section/{story.section.slug}/feed/",
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/robots.txt",
        "/articles/no-such-story/",
        "/broken/",
        "/static/icons/favicon.svg",
        "/static/css/site.css",
    ]


@pytest.mark.urls(__name__)
def test_security_headers_on_every_response(client, story):
    client.raise_request_exception = False
    statuses, bodies = {}, {}
    for url in _reader_urls(story):
        response = client.get(url)
        statuses[url] = response.status_code
        bodies[url] = b"".join(response) if response.streaming else response.content
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url
    assert statuses["/articles/no-such-story/"] == 404
    assert statuses["/broken/"] == 500
    assert b'<nav class="site-nav"' in bodies["/broken/"]  # the site's own layout
    assert b"Something went wrong" in bodies["/broken/"]
    assert set(statuses.values()) == {200, 404, 500}


def test_metered_article_page_is_kept_by_no_shared_cache(client, story):
    response = client.get(story.get_absolute_url())
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "private" in directives and "public" not in directives
    assert "Cookie" in response["Vary"]


def test_favicon_is_found_where_browsers_look(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page and "favicon.ico" in page
