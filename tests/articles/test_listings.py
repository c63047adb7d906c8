from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import html

from articles import curation, services
from articles.models import Article, FrontPin, NewsroomPage
from articles.views import PAGE_SIZE
from tests import factories
from tests.articles.reader_data import picture

pytestmark = pytest.mark.django_db


def doc_of(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def teasers(doc, scope=""):
    return [
        a.text_content()
        for a in doc.cssselect(f"{scope} article.teaser h2 a, {scope} article.teaser h3 a")
    ]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def test_front_lists_lead_latest_and_sections_with_full_teasers(client, editor):
    world = factories.SectionFactory(name="World", slug="world")
    sport = factories.SectionFactory(name="Sport", slug="sport")
    now = timezone.now() - timedelta(hours=1)
    for n in range(3):
        factories.article_published(
            by=editor, section=world, headline=f"World {n}", now=now + timedelta(minutes=n)
        )
    factories.article_published(
        by=editor,
        section=sport,
        headline="Sport 0",
        lead_image=picture(width=800, height=500),
        now=now + timedelta(minutes=5),
    )
    doc = doc_of(client.get("/"))
    assert teasers(doc, ".front-lead") == ["Sport 0"]
    assert teasers(doc, ".front-top-stories") == ["World 2", "World 1", "World 0"]
    blocks = {
        s.cssselect("h2")[0].text_content(): teasers(s) for s in doc.cssselect(".front-section")
    }
    assert blocks == {"Sport": ["Sport 0"], "World": ["World 2", "World 1", "World 0"]}
    lead = doc.cssselect(".front-lead article.teaser")[0]
    sport_story = Article.objects.get(headline="Sport 0")
    assert lead.cssselect("h2 a")[0].get("href") == sport_story.get_absolute_url()
    assert lead.cssselect(".dek") and lead.cssselect("time[datetime]") and lead.cssselect("img")


def test_editors_pins_lead_the_front_in_order(client, editor, section):
    now = timezone.now() - timedelta(hours=1)
    older = factories.article_published(by=editor, section=section, headline="Older", now=now)
    newer = factories.article_published(
        by=editor, section=section, headline="Newer", now=now + timedelta(minutes=1)
    )
    assert teasers(doc_of(client.get("/")), ".front-lead") == ["Newer"]
    curation.front_pin_save(pin=FrontPin(article=older, position=1))
    cache.clear()
    assert teasers(doc_of(client.get("/")), ".front-lead") == ["Older"]
    assert newer.headline in teasers(doc_of(client.get("/")), ".front-top-stories")


def test_breaking_strip_shows_only_a_live_breaking_story(client, editor, section):
    factories.article_published(by=editor, section=section, headline="Calm")
    assert not doc_of(client.get("/")).cssselect(".breaking")
    factories.article_published(
        by=editor, section=section, headline="Dam breaks", is_breaking=True
    )
    cache.clear()
    strip = doc_of(client.get("/")).cssselect(".breaking")[0]
    assert "Dam breaks" in strip.text_content() and "Calm" not in strip.text_content()


def test_section_tag_and_author_pages_paginate(client, editor, section):
    tag = factories.TagFactory(name="Floods")
    author = factories.AuthorFactory(name="Dana Reyes", bio="Reports on climate.")
    for _ in range(PAGE_SIZE + 1):
        factories.article_published(by=editor, section=section, tags=[tag], authors=[author])
    for url in [section.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]:
        first = doc_of(client.get(url))
        assert len(first.cssselect(".story-list article.teaser")) == PAGE_SIZE
        assert first.cssselect("a[rel='next']")
        second = doc_of(client.get(url + "?page=2"))
        assert len(second.cssselect(".story-list article.teaser")) == 1
    assert "Reports on climate." in doc_of(client.get(author.get_absolute_url())).text_content()


def test_lists_cost_a_fixed_number_of_queries_and_stop_at_their_last_page(
    client, editor, section, monkeypatch, django_assert_max_num_queries
):
    """The count stops at MAX_PAGES pages, so that it never walks the whole archive; a page
    past the end is a 404 rather than the last page again."""
    monkeypatch.setattr("articles.views.MAX_PAGES", 2)
    tag = factories.TagFactory()
    author = factories.AuthorFactory()
    picture_ = picture()
    for _ in range(PAGE_SIZE * 2 + 5):
        factories.article_published(
            by=editor, section=section, tags=[tag], authors=[author], lead_image=picture_
        )
    for url in [section.get_absolute_url(), tag.get_absolute_url(), author.get_absolute_url()]:
        for page in (1, 2):
            # A section's or topic's first view also looks for its running live story.
            with django_assert_max_num_queries(
                8 if page == 1 and url != author.get_absolute_url() else 7
            ):
                doc = doc_of(client.get(url, {"page": page}))
            assert len(doc.cssselect(".story-list article.teaser")) == PAGE_SIZE
            assert f"Page {page} of 2" in doc.text_content()
        for page in (3, 0, "last", "1.5"):
            assert client.get(url, {"page": page}).status_code == 404, (url, page)


def test_hidden_stories_are_in_no_listing(client, editor, section):
    tag = factories.TagFactory()
    author = factories.AuthorFactory()
    shared = {"section": section, "tags": [tag], "authors": [author]}
    draft = factories.article_create(by=editor, headline="Secret draft", **shared)
    scheduled = factories.article_create(by=editor, headline="Future story", **shared)
    services.article_schedule(
        article=scheduled, by=editor, publish_at=timezone.now() + timedelta(hours=1)
    )
    pulled = factories.article_published(by=editor, headline="Pulled story", **shared)
    services.article_unpublish(article=pulled, by=editor)
    factories.article_published(by=editor, headline="Visible story", **shared)
    for url in [
        "/",
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/search/?q=story",
    ]:
        text = doc_of(client.get(url)).text_content()
        assert "Visible story" in text or url.startswith("/search")
        for hidden in (draft, scheduled, pulled):
            assert hidden.headline not in text, url


def test_newsroom_pages_are_linked_from_the_footer_and_editable(client):
    doc = doc_of(client.get("/"))
    footer_links = {a.text_content(): a.get("href") for a in doc.cssselect(".footer-nav a")}
    for title in [
        "About us",
        "Masthead",
        "Contact",
        "Privacy",
        "Terms of use",
        "Corrections policy",
    ]:
        assert title in footer_links
    page = NewsroomPage.objects.get(slug="about")
    page.body = "<p>We moved to a new office.</p><script>alert(1)</script>"
    curation.newsroom_page_save(page=page)
    about = client.get(footer_links["About us"])
    assert b"We moved to a new office." in about.content and b"<script>alert" not in about.content


def test_not_found_page_uses_the_site_layout(client):
    response = client.get("/articles/no-such-story/")
    assert response.status_code == 404
    doc = html.fromstring(response.content)
    assert doc.cssselect("header.site-header nav") and doc.cssselect("footer.site-footer")
    assert doc.xpath("//h1")


def test_server_error_page_renders_without_request_or_database(django_assert_num_queries):
    from django.template import loader

    with django_assert_num_queries(0):
        rendered = loader.get_template("500.html").render()
    doc = html.fromstring(rendered)
    assert doc.cssselect("header.site-header nav") and doc.cssselect("footer.site-footer")
    assert "Something went wrong" in doc.xpath("//h1")[0].text_content()
    assert doc.xpath("//link[@rel='stylesheet']")


def test_every_listed_story_is_an_article_with_link_dek_time_and_thumbnail(
    client, editor, section
):
    image = picture(width=800, height=500)
    tag = factories.TagFactory()
    for _ in range(3):
        factories.article_published(by=editor, section=section, tags=[tag], lead_image=image)
    for url in [section.get_absolute_url(), tag.get_absolute_url(), "/search/?q=Headline"]:
        stories = doc_of(client.get(url)).cssselect(".story-list > article.teaser")
        assert len(stories) == 3, url
        for story in stories:
            assert story.cssselect("h2 a[href^='/articles/']")
            assert story.cssselect(".dek")[0].text_content()
            assert story.cssselect("time[datetime]")
            (img,) = story.cssselect("picture img")
            assert img.get("alt") and img.get("width") == "800" and img.get("loading") == "lazy"
