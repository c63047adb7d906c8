import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import html

from articles import services
from articles.models import Article
from tests import factories
from tests.articles.reader_data import furnished_article, picture, rich_article

pytestmark = pytest.mark.django_db


def page(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_article_page_shows_story_furniture(client, editor, section):
    article = furnished_article(
        editor=editor,
        section=section,
        dek="The council voted late at night.",
    )
    doc = page(client.get(article.get_absolute_url()))
    assert [h.text_content() for h in doc.xpath("//h1")] == [article.headline]
    labels = doc.cssselect(".story-labels")[0].text_content()
    assert "update desk" in labels and section.name in labels
    assert doc.cssselect(".story-header .dek")[0].text_content() == article.dek
    byline_links = [a.get("href") for a in doc.cssselect(".byline a")]
    assert byline_links == [b.author.get_absolute_url() for b in article.bylines.all()]
    figure = doc.cssselect("figure.lead-image")[0]
    assert "A test picture" in figure.text_content()
    assert "Newsroom staff" in figure.cssselect(".credit")[0].text_content()
    assert "Updated" in doc.cssselect(".dates")[0].text_content()
    assert len(doc.cssselect(".related article.teaser")) == 2
    assert {a.text_content() for a in doc.cssselect(".tags a")} == {
        t.name for t in article.tags.all()
    }
    assert doc.cssselect(".share a")


def test_body_container_holds_lead_then_rest_and_nothing_else(client, editor, section):
    article = rich_article(editor=editor, section=section, corrections=1)
    doc = page(client.get(article.get_absolute_url()))
    (body,) = doc.xpath("//*[@data-article-body]")
    assert body.get("data-access") == "metered"
    lead = [p.text_content() for p in body.xpath("./p")]
    assert len(lead) == 2 and "marker-1" in lead[0] and "marker-2" in lead[1]
    rest = body.xpath("./div[@class='article-rest']/p")
    assert [p.text_content().split(": ")[-1] for p in rest] == [
        f"marker-{n}." for n in range(3, 9)
    ]
    assert not body.cssselect(".corrections, .author-bio, .related, [data-paywall]")
    assert doc.cssselect(".corrections")


def test_free_article_is_marked_free(client, editor, section):
    article = rich_article(editor=editor, section=section, is_free=True)
    doc = page(client.get(article.get_absolute_url()))
    assert doc.xpath("//*[@data-article-body]")[0].get("data-access") == "free"


# Saving moves the story's scope on commit, which the stored anonymous page follows.
def test_updated_label_only_after_a_change(
    client, editor, section, django_capture_on_commit_callbacks
):
    article = rich_article(editor=editor, section=section)
    assert "Updated" not in page(client.get(article.get_absolute_url())).text_content()
    article.dek = "A sharper summary."
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=editor, now=timezone.now() + timedelta(hours=1))
    doc = page(client.get(article.get_absolute_url()))
    assert "Updated" in doc.cssselect(".dates")[0].text_content()
    assert "A sharper summary." in doc.cssselect(".story-header .dek")[0].text_content()


def test_saving_a_new_body_replaces_the_cached_split(
    client, editor, section, django_capture_on_commit_callbacks
):
    article = rich_article(editor=editor, section=section)
    client.get(article.get_absolute_url())
    article.body = "<p>New first.</p><p>New second.</p><p>New third.</p>"
    with django_capture_on_commit_callbacks(execute=True):
        services.article_save(article=article, by=editor)
    doc = page(client.get(article.get_absolute_url()))
    assert doc.cssselect(".article-rest")[0].text_content() == "New third."
    assert "marker-1" not in doc.text_content()


# The whole anonymous article request: the reader's site, the paywall meter and comments.
ARTICLE_PAGE_MAX_QUERIES = 25


def test_article_page_query_count_is_constant(editor, section, published_article):
    small, large = (
        rich_article(
            editor=editor,
            section=section,
            people=size,
            topics=size,
            corrections=size,
            related=size,
        )
        for size in (1, 6)
    )
    Client().get(
        published_article.get_absolute_url()
    )  # warm the per-process caches (chrome, settings)
    counts = []
    for article in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(article.get_absolute_url())  # a new anonymous reader
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= ARTICLE_PAGE_MAX_QUERIES, counts


def test_structured_data_describes_the_story_without_its_body(client, editor, section):
    article = rich_article(editor=editor, section=section, people=2, corrections=1)
    doc = page(client.get(article.get_absolute_url()))
    (script,) = doc.xpath("//script[@type='application/ld+json']")
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.headline
    assert data["datePublished"] == article.publish_at.isoformat()
    correction = article.corrections.get()
    assert data["dateModified"] == correction.created_at.isoformat()
    assert data["correction"][0]["text"] == correction.text
    assert [a["url"] for a in data["author"]] == [
        f"http://testserver{b.author.get_absolute_url()}" for b in article.bylines.all()
    ]
    assert all(a["@type"] == "Person" for a in data["author"])
    assert data["publisher"]["logo"]["url"].endswith("/static/icons/logo.png")
    assert data["image"][0].startswith("http://testserver/media/renditions/")
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".article-rest",
    }
    assert doc.cssselect(data["hasPart"]["cssSelector"])
    assert "articleBody" not in script.text and "marker-" not in script.text
    metas = "".join(m.get("content", "") for m in doc.xpath("//meta"))
    assert "marker-" not in metas


def test_free_story_has_no_withheld_part(client, editor, section):
    article = rich_article(editor=editor, section=section, is_free=True)
    doc = page(client.get(article.get_absolute_url()))
    data = json.loads(doc.xpath("//script[@type='application/ld+json']")[0].text)
    assert data["isAccessibleForFree"] is True and "hasPart" not in data


def test_social_tags_and_canonical_link(client, editor, section, settings):
    settings.SITE_URL = "https://news.example.org"
    article = rich_article(editor=editor, section=section)
    doc = page(client.get(article.get_absolute_url()))
    og = {m.get("property"): m.get("content") for m in doc.xpath("//meta[@property]")}
    assert og["og:type"] == "article"
    assert og["og:title"] == article.headline
    assert og["og:description"] == article.dek
    assert og["og:image"].startswith("https://news.example.org/media/")
    twitter = {m.get("name"): m.get("content") for m in doc.xpath("//meta[@name]")}
    assert twitter["twitter:card"] == "summary_large_image"
    (canonical,) = doc.xpath("//link[@rel='canonical']")
    assert canonical.get("href") == f"https://news.example.org{article.get_absolute_url()}"


def test_lead_image_has_srcset_sizes_and_box(client, editor, section):
    article = rich_article(editor=editor, section=section)
    doc = page(client.get(article.get_absolute_url()))
    img = doc.cssselect("figure.lead-image img")[0]
    assert img.get("width") == "1400" and img.get("height") == "900"
    assert img.get("alt") == "A red rectangle"
    assert img.get("sizes") and "1280w" in img.get("srcset")
    assert img.get("loading") is None  # above the fold
    (webp,) = doc.cssselect("figure.lead-image picture source[type='image/webp']")
    assert "640w" in webp.get("srcset")
    for img in doc.xpath("//img"):
        assert img.get("width") and img.get("height") and img.get("alt") is not None
    assert all(img.get("loading") == "lazy" for img in doc.cssselect(".related img"))


def test_pictures_in_the_body_get_their_box_alt_text_and_lazy_loading(client, editor, section):
    inline = picture(width=800, height=500, alt_text="Ferry at the quay")
    body = (
        "<p>First paragraph.</p><p>Second paragraph.</p>"
        f'<figure><img src="{inline.file.url}"><figcaption>At the quay</figcaption></figure>'
        '<p>Third.</p><img src="https://elsewhere.example/x.jpg" alt="Elsewhere">'
    )
    article = rich_article(editor=editor, section=section, body=body)
    doc = page(client.get(article.get_absolute_url()))
    ours, theirs = doc.cssselect("[data-article-body] img")
    assert (ours.get("width"), ours.get("height")) == ("800", "500")
    assert ours.get("alt") == "Ferry at the quay"
    assert ours.get("loading") == theirs.get("loading") == "lazy"
    assert theirs.get("alt") == "Elsewhere" and theirs.get("width") is None  # size unknown


def test_security_headers_on_article_page(client, published_article):
    response = client.get(published_article.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    doc = page(response)
    assert not doc.xpath("//*[@style]") and not doc.xpath("//style")
    # Data, or a file of our own: no inline script.
    for script in doc.xpath("//script"):
        assert script.get("type") == "application/ld+json" or (
            script.get("src", "").startswith("/static/") and not script.text
        )


@pytest.mark.parametrize("state", ["draft", "scheduled", "unpublished"])
def test_hidden_articles_are_404(client, editor, section, state):
    article = factories.article_create(by=editor, section=section)
    if state == "scheduled":
        services.article_schedule(
            article=article, by=editor, publish_at=timezone.now() + timedelta(hours=1)
        )
    if state == "unpublished":
        services.article_publish(article=article, by=editor)
        services.article_unpublish(article=article, by=editor)
    assert Article.objects.published().count() == 0
    assert client.get(article.get_absolute_url()).status_code == 404


def test_headline_cannot_break_out_of_the_json_ld_block(client, editor, section):
    hostile = 'Vote </script><script>alert("x")</script> & more'
    article = rich_article(editor=editor, section=section, headline=hostile)
    doc = page(client.get(article.get_absolute_url()))
    scripts = doc.xpath("//script")
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    assert json.loads(scripts[0].text)["headline"] == hostile
    assert doc.xpath("//h1")[0].text_content() == hostile


@pytest.mark.parametrize("is_free", [True, False])
def test_a_stored_anonymous_page_asks_the_database_nothing_and_the_cache_once(
    editor, section, monkeypatch, is_free
):
    """Its shell, its related list and all their scopes' versions: one get_many. The only
    queries of a metered view are the meter's (the database meter here; on Redis, none:
    tests/paywall/test_article_page.py)."""
    article = rich_article(
        editor=editor, section=section, people=2, topics=2, related=3, is_free=is_free
    )
    Client().get(article.get_absolute_url())  # rendered and stored
    calls = []
    real = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: calls.append(keys) or real(keys))
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(article.get_absolute_url())  # a new anonymous reader
    assert response.status_code == 200 and b'class="related"' in response.content
    asked = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert all('"paywall_' in sql for sql in asked) and not (is_free and asked), asked
    assert len(calls) == 1, calls
