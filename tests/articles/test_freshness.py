"""Stored pages stay until what they show changes, and no longer.

The front is kept until an edit moves the content version or until it changes by time alone
(a breaking story leaving the strip, a scheduled story's moment); the menu, bylines, topics
and pictures that stored article pages show move the version when edited in the admin.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import html

from articles import services
from articles.caching import content_version
from articles.models import Article
from articles.renditions import image_renditions_create
from articles.selectors import BREAKING_FOR, front_page
from articles.views import FRONT_MAX_SECONDS
from tests import factories
from tests.articles.reader_data import picture

pytestmark = pytest.mark.django_db


class Clock:
    """django.utils.timezone.now, moved on by the test."""

    def __init__(self, monkeypatch):
        self.start = timezone.now()
        self.offset = timedelta()
        monkeypatch.setattr(timezone, "now", lambda: self.start + self.offset)

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


def front_text(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return html.fromstring(response.content).text_content()


def strip_text(client) -> str:
    strips = html.fromstring(client.get("/").content).cssselect(".breaking")
    return strips[0].text_content() if strips else ""


def edited_without_signal(article: Article, headline: str) -> None:
    """An SQL update: no save, so nothing moves the content version."""
    Article.objects.filter(pk=article.pk).update(headline=headline)


def test_the_front_is_kept_until_a_breaking_story_leaves_the_strip(
    client, editor, section, monkeypatch
):
    clock = Clock(monkeypatch)
    calm = factories.article_published(by=editor, section=section, headline="Calm day")
    factories.article_published(
        by=editor,
        section=section,
        headline="Dam breaks",
        is_breaking=True,
        now=clock.start - BREAKING_FOR + timedelta(minutes=3),
    )
    assert "Dam breaks" in strip_text(client)
    edited_without_signal(calm, "Calm day, edited")

    clock.advance(minutes=2)  # more than a minute: the front is not rebuilt on a timer
    assert "Dam breaks" in strip_text(client)
    assert "Calm day, edited" not in front_text(client)

    clock.advance(minutes=2)  # the strip's moment has passed, well before the longest wait
    assert strip_text(client) == ""
    assert "Calm day, edited" in front_text(client)


def test_the_front_changes_next_at_the_earliest_of_its_moments(editor, section):
    now = timezone.now()
    breaking = factories.article_published(
        by=editor, section=section, is_breaking=True, now=now - timedelta(hours=1)
    )
    scheduled = factories.article_create(by=editor, section=section)
    services.article_schedule(article=scheduled, by=editor, publish_at=now + timedelta(hours=2))
    assert front_page(now).changes_at == scheduled.publish_at
    assert front_page(now + timedelta(hours=3)).changes_at == breaking.publish_at + BREAKING_FOR
    assert front_page(now + BREAKING_FOR).changes_at is None


def test_a_front_with_nothing_due_is_rebuilt_after_the_longest_wait(
    client, editor, section, monkeypatch
):
    clock = Clock(monkeypatch)
    story = factories.article_published(by=editor, section=section, headline="Quiet news")
    assert "Quiet news" in front_text(client)
    edited_without_signal(story, "Quiet news, corrected by SQL")
    clock.advance(seconds=FRONT_MAX_SECONDS - 5)
    assert "corrected by SQL" not in front_text(client)
    clock.advance(seconds=10)
    assert "corrected by SQL" in front_text(client)


def test_a_scheduled_story_joins_the_front_at_its_moment(client, editor, section, monkeypatch):
    clock = Clock(monkeypatch)
    factories.article_published(by=editor, section=section, headline="Earlier story")
    scheduled = factories.article_create(by=editor, section=section, headline="Embargoed report")
    services.article_schedule(
        article=scheduled, by=editor, publish_at=clock.start + timedelta(minutes=5)
    )
    version = content_version()
    assert "Embargoed report" not in front_text(client)
    clock.advance(minutes=6)  # no go-live work has run: the version has not moved
    assert content_version() == version
    assert "Embargoed report" in front_text(client)


def _rename_section(article):
    article.section.name = "Weather desk"
    article.section.save()


def _rename_author(article):
    author = article.authors.get()
    author.name = "Dana Weatherby"
    author.save()


def _rename_tag(article):
    tag = article.tags.get()
    tag.name = "Weather desk"
    tag.save()


def _describe_picture(article):
    article.lead_image.alt_text = "Weather desk at dawn"
    article.lead_image.save()


@pytest.mark.parametrize(
    ("edit", "shown"),
    [
        (_rename_section, "Weather desk"),
        (_rename_author, "Dana Weatherby"),
        (_rename_tag, "Weather desk"),
        (_describe_picture, 'alt="Weather desk at dawn"'),
    ],
)
def test_an_admin_edit_of_what_a_stored_page_shows_reaches_it(
    client, editor, section, django_capture_on_commit_callbacks, edit, shown
):
    article = factories.article_published(
        by=editor,
        section=section,
        authors=[factories.AuthorFactory(name="Dana Reyes")],
        tags=[factories.TagFactory(name="Floods")],
        lead_image=picture(width=800, height=500, alt_text="A river"),
    )
    assert shown not in client.get(article.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        edit(article)
    assert shown in client.get(article.get_absolute_url()).content.decode()


def test_new_renditions_reach_stored_pages(client, editor, section):
    image = picture(width=900, height=600, renditions=False)
    article = factories.article_published(by=editor, section=section, lead_image=image)
    assert "320w" not in client.get(article.get_absolute_url()).content.decode()
    version = content_version()
    assert image_renditions_create(image=image) == 6
    assert content_version() != version
    assert "320w" in client.get(article.get_absolute_url()).content.decode()
    version = content_version()
    assert image_renditions_create(image=image) == 0  # nothing made, nothing to refresh
    assert content_version() == version


def test_while_one_worker_renders_the_front_the_others_serve_the_last_one(
    client, editor, section, monkeypatch, django_capture_on_commit_callbacks
):
    clock = Clock(monkeypatch)
    factories.article_published(by=editor, section=section, headline="Morning edition")
    assert "Morning edition" in front_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        factories.article_published(by=editor, section=section, headline="River floods town")
    building = f"articles:front-html:{content_version()}:building"
    cache.add(building, True, 30)  # another worker has just started rendering it
    text = front_text(client)
    assert "River floods town" not in text and "Morning edition" in text
    cache.delete(building)
    clock.advance(seconds=2)  # the last front is served for a second at most
    assert "River floods town" in front_text(client)
