"""Stored pages stay until what they show changes, and no longer.

Each change moves the scopes it touches (newsroom/page_cache.py): the front is kept until its
list moves or it changes by time alone (a breaking story leaving the strip, a scheduled
story's moment); a story's page until the story, its thread or the chrome moves; its related
list until a list it is drawn from moves. Every change shows wherever it appears at once
(the tests trust no version read earlier), and moves nothing else.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import html

from accounts.services import profile_update
from articles import pages, services
from articles.comments import comment_create, comments_delete, comments_set_hidden
from articles.models import Article, Comment, Correction
from articles.pages import FRONT_MAX_SECONDS, FRONT_SCOPES, PAGE_SHELL_FORMAT
from articles.renditions import image_renditions_create
from articles.scopes import FRONT, story_scope
from articles.selectors import BREAKING_FOR, front_page
from newsroom.page_cache import scopes_versions, versions_key
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
    """An SQL update: no save, so no scope moves."""
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
    section_url = section.get_absolute_url()
    version = scopes_versions([FRONT])
    assert "Embargoed report" not in front_text(client)
    assert "Embargoed report" not in client.get(section_url).content.decode()
    clock.advance(minutes=6)  # no go-live work has run: the front's version has not moved
    assert scopes_versions([FRONT]) == version
    assert "Embargoed report" in front_text(client)
    assert "Embargoed report" in client.get(section_url).content.decode()


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


def test_new_renditions_reach_stored_pages(
    client, editor, section, django_capture_on_commit_callbacks
):
    image = picture(width=900, height=600, renditions=False)
    article = factories.article_published(by=editor, section=section, lead_image=image)
    assert "320w" not in client.get(article.get_absolute_url()).content.decode()
    scope = [story_scope(article.pk)]
    version = scopes_versions(scope)
    with django_capture_on_commit_callbacks(execute=True):
        assert image_renditions_create(image=image) == 6
    assert scopes_versions(scope) != version
    assert "320w" in client.get(article.get_absolute_url()).content.decode()
    version = scopes_versions(scope)
    with django_capture_on_commit_callbacks(execute=True):
        assert image_renditions_create(image=image) == 0  # nothing made, nothing to refresh
    assert scopes_versions(scope) == version


def front_lock() -> str:
    versions = versions_key(scopes_versions(FRONT_SCOPES))
    return f"articles:front-html:{PAGE_SHELL_FORMAT}:{versions}:building"


def test_while_one_worker_renders_the_front_the_others_serve_the_last_one(
    client, editor, section, monkeypatch, django_capture_on_commit_callbacks
):
    clock = Clock(monkeypatch)
    factories.article_published(by=editor, section=section, headline="Morning edition")
    assert "Morning edition" in front_text(client)
    with django_capture_on_commit_callbacks(execute=True):
        factories.article_published(by=editor, section=section, headline="River floods town")
    building = front_lock()
    cache.add(building, True, 30)  # another worker has just started rendering it
    text = front_text(client)
    assert "River floods town" not in text and "Morning edition" in text
    cache.delete(building)
    clock.advance(seconds=2)  # the last front is served for a second at most
    assert "River floods town" in front_text(client)


def test_a_worker_that_finds_the_front_locked_and_no_last_one_builds_it_and_leaves_the_lock(
    client, editor, section
):
    factories.article_published(by=editor, section=section, headline="Morning edition")
    building = front_lock()
    cache.add(building, "the other worker's", 30)
    assert "Morning edition" in front_text(client)  # nothing to serve meanwhile: built here
    assert cache.get(building) == "the other worker's"


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Runs what a change does once committed."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def page_text(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def related_text(client, article) -> str:
    related = html.fromstring(page_text(client, article)).cssselect(".related")
    return related[0].text_content() if related else ""


@pytest.fixture
def neighbours(editor, section, capture):
    """Two live stories of one section: each shows the other in its related list."""
    with capture():
        shown = factories.article_published(
            by=editor,
            section=section,
            headline="Bridge reopens",
            authors=[factories.AuthorFactory(name="Dana Reyes", bio="covers transport.")],
            lead_image=picture(width=800, height=500, alt_text="A bridge"),
        )
        showing = factories.article_published(by=editor, section=section, headline="Road works")
    return shown, showing


def test_a_headline_edited_shows_in_the_related_lists_without_rendering_their_shells(
    client, editor, neighbours, capture
):
    shown, showing = neighbours
    assert "Bridge reopens" in related_text(client, showing)
    page_text(client, shown)
    rendered = pages.shells_rendered["count"]
    shown.headline = "Bridge reopens at last"
    with capture():
        services.article_save(article=shown, by=editor)
    assert "Bridge reopens at last" in related_text(client, showing)
    assert pages.shells_rendered["count"] == rendered  # the other story's shell stayed
    assert "Bridge reopens at last" in page_text(client, shown)
    assert pages.shells_rendered["count"] == rendered + 1  # the edited story's own


def test_a_section_renamed_shows_in_the_menu_of_stored_pages_and_the_front(
    client, neighbours, section, capture
):
    shown, _ = neighbours
    page_text(client, shown), front_text(client)
    section.name = "Transport desk"
    with capture():
        section.save()
    menu = html.fromstring(page_text(client, shown)).cssselect(".section-list")[0]
    assert "Transport desk" in menu.text_content()
    assert "Transport desk" in front_text(client)


def test_a_correction_added_shows_on_the_story(client, neighbours, capture):
    shown, _ = neighbours
    assert "not 400 m" not in page_text(client, shown)
    with capture():
        Correction.objects.create(article=shown, text="The bridge is 40 m long, not 400 m.")
    assert "not 400 m" in page_text(client, shown)


def test_a_comment_posted_hidden_and_deleted_shows_and_goes(
    client, neighbours, verified_reader, capture
):
    shown, _ = neighbours
    assert "Mind the cyclists" not in page_text(client, shown)
    with capture():
        comment_create(article=shown, user=verified_reader, body="Mind the cyclists")
    assert "Mind the cyclists" in page_text(client, shown)
    comments = Comment.objects.filter(article=shown)
    with capture():
        comments_set_hidden(comments=comments, hidden=True)
    assert "Mind the cyclists" not in page_text(client, shown)
    with capture():
        comments_set_hidden(comments=comments, hidden=False)
    assert "Mind the cyclists" in page_text(client, shown)
    with capture():
        comments_delete(comments=comments)
    assert "Mind the cyclists" not in page_text(client, shown)


def test_an_authors_bio_changed_shows_on_their_stories(client, neighbours, capture):
    shown, _ = neighbours
    assert "covers transport." in page_text(client, shown)
    author = shown.authors.get()
    author.bio = "covers transport and the harbour."
    with capture():
        author.save()
    assert "covers transport and the harbour." in page_text(client, shown)


def test_a_pictures_alt_text_changed_shows_on_the_story_and_in_related_lists(
    client, neighbours, capture
):
    shown, showing = neighbours
    page_text(client, shown), page_text(client, showing)
    image = shown.lead_image
    image.alt_text = "The bridge at dawn"
    with capture():
        image.save()
    assert 'alt="The bridge at dawn"' in page_text(client, shown)
    related = html.fromstring(page_text(client, showing)).cssselect(".related img")
    assert [img.get("alt") for img in related] == ["The bridge at dawn"]


def test_a_readers_new_display_name_shows_under_their_comments(
    client, neighbours, verified_reader, capture
):
    shown, _ = neighbours
    with capture():
        profile_update(user=verified_reader, display_name="Sam from Harbourside")
        comment_create(article=shown, user=verified_reader, body="Finally open")
    assert "Sam from Harbourside" in page_text(client, shown)
    with capture():
        profile_update(user=verified_reader, display_name="Sam Okafor")
    page = page_text(client, shown)
    assert "Sam Okafor" in page and "Sam from Harbourside" not in page


def test_a_story_unpublished_is_gone_from_its_page_lists_feed_and_sitemap_at_once(
    client, editor, neighbours, capture
):
    shown, showing = neighbours
    url = shown.get_absolute_url()
    assert "Bridge reopens" in related_text(client, showing)
    assert "Bridge reopens" in front_text(client)
    assert url in client.get("/feed/").content.decode()
    assert url in client.get("/sitemap-articles.xml").content.decode()
    with capture():
        services.article_unpublish(article=shown, by=editor)
    assert client.get(url).status_code == 404
    assert "Bridge reopens" not in related_text(client, showing)
    assert "Bridge reopens" not in front_text(client)
    assert url not in client.get("/feed/").content.decode()
    assert url not in client.get("/sitemap-articles.xml").content.decode()


def test_a_story_deleted_is_gone_from_its_page_and_lists_at_once(client, neighbours, capture):
    shown, showing = neighbours
    url = shown.get_absolute_url()
    assert "Bridge reopens" in related_text(client, showing)
    assert "Bridge reopens" in front_text(client)
    with capture():
        shown.delete()
    assert client.get(url).status_code == 404
    assert "Bridge reopens" not in related_text(client, showing)
    assert "Bridge reopens" not in front_text(client)
