"""A story that is not live (draft, scheduled for later, unpublished) is nowhere a reader looks."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles import curation, services
from articles.models import FrontPin
from tests import factories

pytestmark = pytest.mark.django_db

HIDDEN = "Embargoed harbour story"


def _hidden_story(state, editor, **shared):
    story = factories.article_create(by=editor, headline=HIDDEN, slug="embargoed", **shared)
    if state == "scheduled":
        services.article_schedule(
            article=story, by=editor, publish_at=timezone.now() + timedelta(hours=1)
        )
    if state == "unpublished":
        services.article_publish(article=story, by=editor)
        story.slug = "embargoed-renamed"
        services.article_save(article=story, by=editor)
        services.article_unpublish(article=story, by=editor)
    return story


@pytest.mark.parametrize("state", ["draft", "scheduled", "unpublished"])
def test_hidden_story_is_in_no_reader_path(client, editor, section, state):
    tag, author = factories.TagFactory(), factories.AuthorFactory()
    shared = {"section": section, "tags": [tag], "authors": [author]}
    visible = factories.article_published(by=editor, headline="Visible harbour story", **shared)
    hidden = _hidden_story(state, editor, **shared)
    curation.front_pin_save(pin=FrontPin(article=hidden, position=1))
    cache.clear()
    urls = [
        "/",
        visible.get_absolute_url(),
        section.get_absolute_url(),
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/search/?q=harbour",
        "/feed/",
        "/feed/atom/",
        f"/section/{section.slug}/feed/",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        # Text without tags: search highlights wrap the matched word in <mark>.
        content = re.sub(r"<[^>]+>", "", response.content.decode())
        # A sitemap lists addresses, the other pages headlines.
        shown = visible.get_absolute_url() if "sitemap" in url else "Visible harbour story"
        assert shown in content, url
        assert HIDDEN not in content and "embargoed" not in content, url
    for address in ["/articles/embargoed/", hidden.get_absolute_url()]:
        assert client.get(address).status_code == 404


INDEXES = ["/search/?q=harbour", "/sitemap-articles.xml", "/sitemap-news.xml"]


def _listed_in(client, story) -> list[str]:
    """The indexes that list the story: search by its headline, sitemaps by its address."""
    listed = []
    for url in INDEXES:
        response = client.get(url)
        assert response.status_code == 200, url
        content = re.sub(r"<[^>]+>", "", response.content.decode())
        shown = story.get_absolute_url() if "sitemap" in url else story.headline
        if shown in content:
            listed.append(url)
    return listed


def _listed_while_live_only(client, editor, section, committing):
    story = factories.article_published(by=editor, section=section, headline=HIDDEN)
    assert _listed_in(client, story) == INDEXES
    with committing(execute=True):  # the sitemaps are stored until the content version moves
        services.article_unpublish(article=story, by=editor)
    assert _listed_in(client, story) == []


def test_a_story_is_in_search_and_sitemaps_while_live_only(
    client, editor, section, django_capture_on_commit_callbacks
):
    _listed_while_live_only(client, editor, section, django_capture_on_commit_callbacks)


def test_a_story_is_in_full_text_search_and_sitemaps_while_live_only(
    postgres, client, editor, section, django_capture_on_commit_callbacks
):
    _listed_while_live_only(client, editor, section, django_capture_on_commit_callbacks)
