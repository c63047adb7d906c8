from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from lxml import etree

from articles import services
from tests import factories

pytestmark = pytest.mark.django_db

SITEMAP = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NEWS = {**SITEMAP, "news": "http://www.google.com/schemas/sitemap-news/0.9"}


@pytest.fixture
def stories(editor, section):
    author = factories.AuthorFactory(name="Sam Okafor")
    now = timezone.now()
    live = [
        factories.article_published(
            by=editor, section=section, authors=[author], now=now - timedelta(days=n)
        )
        for n in range(4)
    ]
    hidden = factories.article_create(by=editor, section=section, headline="Hidden draft")
    return live, hidden


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/section/world/feed/", "/section/world/feed/atom/"]
)
def test_feeds_carry_dek_never_body(client, stories, url):
    live, _hidden = stories
    response = client.get(url, HTTP_HOST="news.example.org")
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [e.title for e in feed.entries] == [a.headline for a in live]
    entry = feed.entries[0]
    assert entry.link == f"http://news.example.org{live[0].get_absolute_url()}"
    assert entry.summary == live[0].dek
    assert entry.author == "Sam Okafor"
    assert entry.published_parsed
    assert b"marker-" not in response.content and b"Hidden draft" not in response.content


def test_feed_holds_the_latest_twenty(client, editor, section, django_assert_max_num_queries):
    for _ in range(21):
        factories.article_published(
            by=editor, section=section, authors=[factories.AuthorFactory()]
        )
    for url in ["/feed/", f"/section/{section.slug}/feed/"]:
        with django_assert_max_num_queries(5):
            response = client.get(url)
        assert len(feedparser.parse(response.content).entries) == 20


def test_sitemap_index_names_its_parts_with_request_host(client, stories):
    live, _hidden = stories
    index = etree.fromstring(client.get("/sitemap.xml", HTTP_HOST="news.example.org").content)
    locs = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP)
    assert locs == [
        "http://news.example.org/sitemap-articles.xml",
        "http://news.example.org/sitemap-sections.xml",
        "http://news.example.org/sitemap-news.xml",
    ]
    articles = etree.fromstring(
        client.get("/sitemap-articles.xml", HTTP_HOST="news.example.org").content
    )
    urls = articles.xpath("//sm:url/sm:loc/text()", namespaces=SITEMAP)
    assert sorted(urls) == sorted(f"http://news.example.org{a.get_absolute_url()}" for a in live)
    assert len(articles.xpath("//sm:url/sm:lastmod", namespaces=SITEMAP)) == len(live)
    sections = etree.fromstring(client.get("/sitemap-sections.xml").content)
    assert sections.xpath("//sm:loc/text()", namespaces=SITEMAP) == [
        "http://testserver/section/world/"
    ]


def test_news_sitemap_has_only_the_last_two_days(client, stories, settings):
    settings.SITE_URL = "https://news.example.org"
    live, _hidden = stories
    news = etree.fromstring(client.get("/sitemap-news.xml").content)
    titles = news.xpath("//news:news/news:title/text()", namespaces=NEWS)
    assert titles == [live[0].headline, live[1].headline]
    assert news.xpath("//news:publication/news:name/text()", namespaces=NEWS)[0]
    assert news.xpath("//sm:loc/text()", namespaces=NEWS)[0].startswith(
        "https://news.example.org/"
    )


def test_unpublished_story_leaves_feeds_and_sitemaps(client, stories, editor):
    live, hidden = stories
    services.article_unpublish(article=live[0], by=editor)
    for url in ["/feed/", "/feed/atom/", "/sitemap-articles.xml", "/sitemap-news.xml"]:
        content = client.get(url).content.decode()
        assert live[0].get_absolute_url() not in content, url
        assert hidden.get_absolute_url() not in content, url


def test_robots_names_the_sitemap(client):
    response = client.get("/robots.txt", HTTP_HOST="news.example.org")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://news.example.org/sitemap.xml" in response.content.decode().splitlines()


def test_article_sitemap_parts_are_blocks_of_ids(
    client, stories, monkeypatch, django_assert_max_num_queries
):
    """A part is read by a range of ids, however deep: no count, no offset."""
    live, hidden = stories
    monkeypatch.setattr("articles.sitemaps.ArticleSitemap.limit", 2)
    # The highest id and a lastmod for articles; a count and a lastmod for sections and news.
    with django_assert_max_num_queries(5):
        index = etree.fromstring(client.get("/sitemap.xml").content)
    locs = index.xpath("//sm:sitemap/sm:loc/text()", namespaces=SITEMAP)
    highest = max(story.pk for story in [*live, hidden])
    parts = -(-highest // 2)
    expected = [f"?p={n}" for n in range(2, parts + 1)]
    assert [loc.split("articles.xml")[1] for loc in locs if "articles" in loc][1:] == expected
    listed = []
    for page in range(1, parts + 1):
        with django_assert_max_num_queries(3):
            response = client.get("/sitemap-articles.xml", {"p": page})
        assert response.status_code == 200, (page, response.content[:300])
        urls = etree.fromstring(response.content).xpath("//sm:loc/text()", namespaces=SITEMAP)
        assert len(urls) <= 2
        listed += urls
    assert sorted(listed) == sorted(f"http://testserver{a.get_absolute_url()}" for a in live)
    assert client.get("/sitemap-articles.xml", {"p": parts + 1}).status_code == 404


def test_news_sitemap_splits_at_its_file_size(client, stories, monkeypatch):
    live, _hidden = stories
    monkeypatch.setattr("articles.sitemaps.NewsSitemap.limit", 1)
    index = client.get("/sitemap.xml").content.decode()
    assert "sitemap-news.xml?p=2" in index and "sitemap-news.xml?p=3" not in index
    titles = [
        etree.fromstring(client.get("/sitemap-news.xml", {"p": page}).content).xpath(
            "//news:title/text()", namespaces=NEWS
        )
        for page in (1, 2)
    ]
    assert titles == [[live[0].headline], [live[1].headline]]


def test_sitemaps_are_stored_until_the_content_changes(
    client, stories, editor, section, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.get("/sitemap-articles.xml")
    with django_assert_num_queries(0):
        client.get("/sitemap-articles.xml")
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.article_published(by=editor, section=section)
    assert story.get_absolute_url() in client.get("/sitemap-articles.xml").content.decode()


@pytest.mark.parametrize("url", ["/feed/", "/section/world/feed/atom/"])
def test_feeds_are_stored_until_their_stories_change(
    client,
    stories,
    editor,
    section,
    url,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    client.get(url)
    # A section's feed looks its section up to name its list's scope; nothing more.
    with django_assert_max_num_queries(1 if "section" in url else 0):
        client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        story = factories.article_published(by=editor, section=section)
    assert story.headline in client.get(url).content.decode()


def test_feed_of_another_section_stays_stored(
    client, stories, editor, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    other = factories.SectionFactory()
    client.get("/section/world/feed/")
    with django_capture_on_commit_callbacks(execute=True):
        factories.article_published(by=editor, section=other)
    with django_assert_max_num_queries(1):
        client.get("/section/world/feed/")


def test_article_sitemap_part_gives_each_story_its_lastmod(client, stories):
    live, _hidden = stories
    response = client.get("/sitemap-articles.xml")
    part = etree.fromstring(response.content)
    lastmods = {
        url.findtext("sm:loc", namespaces=SITEMAP): url.findtext("sm:lastmod", namespaces=SITEMAP)
        for url in part.xpath("//sm:url", namespaces=SITEMAP)
    }
    for story in live:
        day = timezone.localtime(max(story.updated_at, story.publish_at)).date().isoformat()
        assert lastmods[f"http://testserver{story.get_absolute_url()}"] == day
    assert response["Last-Modified"]
