"""Live coverage: who posts, edits, holds and approves updates; what the page, the
new-updates answer, the feed, the sitemap and the hub show of them."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles import live_pages, live_services
from articles.models import LiveCoverage, LiveUpdate, WorkflowEvent
from tests import factories
from tests.articles.live_data import SECRET, committed, live_story, update_post

pytestmark = pytest.mark.django_db
Action = WorkflowEvent.Action
State = LiveUpdate.State


@pytest.fixture
def byline_writer(db):
    writer = factories.writer_factory()
    factories.AuthorFactory(user=writer, name="Wren Writer")
    return writer


@pytest.fixture
def story(editor, byline_writer, section):
    return live_story(editor=editor, section=section, authors=[byline_writer.author])


def events(article) -> list[str]:
    return list(article.events.order_by("at", "id").values_list("action", flat=True))


def test_editors_publish_at_once_and_writers_are_held_until_approved(story, editor, byline_writer):
    first = update_post(story, by=editor, n=1)
    held = update_post(story, by=byline_writer, n=2)
    assert first.state == State.PUBLISHED and first.published_at is not None
    assert held.state == State.HELD and held.published_at is None
    assert held.author.name == "Wren Writer"
    with pytest.raises(PermissionDenied):
        live_services.live_update_approve(update=held, by=byline_writer)
    approved = committed(lambda: live_services.live_update_approve(update=held, by=editor))
    assert approved.state == State.PUBLISHED
    assert events(story)[-3:] == [Action.UPDATE_POSTED, Action.UPDATE_HELD, Action.UPDATE_APPROVED]
    assert held.history.count() == 2  # posted, then approved: both in the revision history


def test_a_story_can_let_writers_publish_at_once(editor, byline_writer, section):
    story = live_story(
        editor=editor,
        section=section,
        authors=[byline_writer.author],
        rule=LiveCoverage.WriterUpdates.IMMEDIATE,
    )
    assert update_post(story, by=byline_writer).state == State.PUBLISHED


def test_writers_post_only_to_their_own_running_stories(story, editor, writer, byline_writer):
    with pytest.raises(PermissionDenied):
        update_post(story, by=writer)  # not an author of it
    committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    with pytest.raises(PermissionDenied):
        update_post(story, by=byline_writer)
    with pytest.raises(PermissionDenied):
        live_services.live_start(article=story, by=byline_writer)


def test_writers_change_only_their_own_updates_and_a_held_rule_holds_their_edits(
    story, editor, byline_writer
):
    editors = update_post(story, by=editor, n=1)
    with pytest.raises(PermissionDenied):
        live_services.live_update_edit(update=editors, by=byline_writer, values={"headline": "x"})
    with pytest.raises(PermissionDenied):
        live_services.live_update_delete(update=editors, by=byline_writer)
    own = committed(
        lambda: live_services.live_update_approve(
            update=update_post(story, by=byline_writer), by=editor
        )
    )
    edited = live_services.live_update_edit(
        update=own, by=byline_writer, values={"headline": "Corrected headline"}
    )
    assert edited.state == State.HELD and edited.headline == "Corrected headline"
    committed(lambda: live_services.live_update_delete(update=edited, by=byline_writer))
    assert LiveUpdate.objects.get(pk=own.pk).state == State.REMOVED
    assert events(story)[-2:] == [Action.UPDATE_EDITED, Action.UPDATE_DELETED]


def test_once_coverage_ends_a_writer_s_own_updates_are_the_editors(editor, byline_writer, section):
    story = live_story(
        editor=editor,
        rule=LiveCoverage.WriterUpdates.IMMEDIATE,
        section=section,
        authors=[byline_writer.author],
    )
    own = update_post(story, by=byline_writer, n=1)
    assert own.state == State.PUBLISHED
    committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    with pytest.raises(PermissionDenied):
        live_services.live_update_edit(update=own, by=byline_writer, values={"headline": "x"})
    with pytest.raises(PermissionDenied):
        live_services.live_update_delete(update=own, by=byline_writer)
    assert LiveUpdate.objects.get(pk=own.pk).headline == "Update headline 1"
    committed(
        lambda: live_services.live_update_edit(update=own, by=editor, values={"headline": "Ed"})
    )
    assert LiveUpdate.objects.get(pk=own.pk).headline == "Ed"


def test_update_bodies_go_through_the_story_sanitiser(story, editor):
    update = update_post(story, by=editor, body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    assert update.body == "<p>Hi</p>"


def _answer(client, story, since=0) -> dict:
    response = client.get(reverse("articles:live_new", args=[story.pk]), {"since": since})
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    return json.loads(response.content)


def test_the_new_updates_answer_empty_one_many_edited_deleted_and_ended(
    client, reader, story, editor
):
    client.force_login(reader)
    empty = _answer(client, story)
    assert empty == {"version": 1, "running": True, "full": True, "updates": [], "removed": []}
    one = update_post(story, by=editor, n=1, is_key_point=True)
    answer = _answer(client, story, since=empty["version"])
    assert [u["id"] for u in answer["updates"]] == [one.pk]
    assert f"{SECRET}-1" in answer["updates"][0]["html"]
    assert f'id="update-{one.pk}"' in answer["updates"][0]["html"]
    assert "Update headline 1" in answer["key_points"]
    version = answer["version"]
    assert _answer(client, story, since=version)["updates"] == []
    many = [update_post(story, by=editor, n=n) for n in range(2, 5)]
    answer = _answer(client, story, since=version)
    assert [u["id"] for u in answer["updates"]] == [u.pk for u in many]  # oldest first
    version = answer["version"]
    committed(
        lambda: live_services.live_update_edit(
            update=many[0], by=editor, values={"headline": "Edited"}
        )
    )
    committed(lambda: live_services.live_update_delete(update=many[1], by=editor))
    answer = _answer(client, story, since=version)
    assert [u["id"] for u in answer["updates"]] == [many[0].pk]
    assert "Edited" in answer["updates"][0]["html"]
    assert answer["removed"] == [many[1].pk]
    committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    ended = _answer(client, story, since=answer["version"])
    assert ended["running"] is False and ended["updates"] == []
    for n in range(5, 5 + live_pages.UPDATES_PAGE_SIZE + 1):
        update_post(live_story(editor=editor, section=story.section), by=editor, n=n)
    assert _answer(client, story, since=0).get("reload") is None  # another story's updates


def test_too_many_changes_ask_the_page_to_reload(client, reader, story, editor):
    client.force_login(reader)
    for n in range(live_pages.UPDATES_PAGE_SIZE + 1):
        update_post(story, by=editor, n=n)
    assert _answer(client, story, since=1)["reload"] is True


def test_a_stored_answer_asks_the_database_nothing(
    client, story, editor, django_assert_num_queries
):
    update_post(story, by=editor)
    client.get(story.get_absolute_url())  # a reader of the page, who may read it
    assert _answer(client, story)["updates"]
    with django_assert_num_queries(0):
        assert _answer(client, story)["updates"]
    # A `since` past the story's version is answered as the version, and never stored.
    ahead = _answer(client, story, since=10**9)
    assert ahead["updates"] == [] and ahead["version"] == 2
    with django_assert_num_queries(2):  # the story and its changes, again
        _answer(client, story, since=10**9)


def test_held_updates_and_unpublished_stories_are_not_in_the_answer(
    client, story, editor, byline_writer
):
    update_post(story, by=byline_writer, n=9)
    client.get(story.get_absolute_url())  # the poll comes from a page a reader was served
    assert _answer(client, story)["updates"] == []
    from articles.services import article_unpublish

    committed(lambda: article_unpublish(article=story, by=editor))
    assert client.get(reverse("articles:live_new", args=[story.pk])).status_code == 404


class _JsonLd(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside, self.found = False, []

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("type", "application/ld+json") in attrs

    def handle_data(self, data):
        if self.inside:
            self.found.append(json.loads(data))

    def handle_endtag(self, tag):
        self.inside = False


def _json_ld(html: str) -> dict:
    parser = _JsonLd()
    parser.feed(html)
    (data,) = parser.found
    return data


def test_live_blog_posting_structured_data(client, story, editor, byline_writer):
    first = update_post(story, by=editor, n=1)
    second = live_services.live_update_approve(
        update=update_post(story, by=byline_writer, n=2), by=editor
    )
    html = client.get(story.get_absolute_url()).content.decode()
    data = _json_ld(html)
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"] == story.live_coverage.started_at.isoformat()
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["headline"] for u in updates] == [second.headline, first.headline]
    assert updates[0]["author"]["name"] == "Wren Writer"
    assert updates[0]["datePublished"] == second.published_at.isoformat()
    assert updates[0]["url"].endswith(f"#update-{second.pk}")
    assert SECRET not in json.dumps(data)
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"]["cssSelector"] == ".article-rest"
    ended = committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    data = _json_ld(client.get(story.get_absolute_url()).content.decode())
    assert data["coverageEndTime"] == ended.ended_at.isoformat()


def test_the_page_shows_key_points_pinned_first_newest_next_and_pages_of_older(
    client, reader, story, editor
):
    client.force_login(reader)
    pinned = update_post(story, by=editor, n=0, is_pinned=True)
    key = update_post(story, by=editor, n=1, is_key_point=True)
    rest = [update_post(story, by=editor, n=n) for n in range(2, 24)]
    html = client.get(story.get_absolute_url()).content.decode()
    ids = [int(i) for i in re.findall(r'data-update-id="(\d+)"', html)]
    newest = [u.pk for u in reversed(rest)]
    assert ids == [pinned.pk, *newest[: live_pages.UPDATES_PAGE_SIZE]]
    key_points = html.split("data-live-key-points", 1)[1].split("</section>", 1)[0]
    assert f'href="#update-{key.pk}"' in key_points
    assert f'data-live-updates-url="/live/{story.pk}/"' in html
    assert 'aria-live="polite"' in html
    older = reverse("articles:live_updates", args=[story.slug])
    assert f'href="{older}?page=2"' in html
    page = client.get(older, {"page": 2}).content.decode()
    assert [int(i) for i in re.findall(r'data-update-id="(\d+)"', page)] == [
        rest[1].pk,
        rest[0].pk,
        key.pk,
    ]
    assert f"{story.get_absolute_url()}#live-updates" in page  # newer updates
    assert client.get(older, {"page": 3}).status_code == 404


def test_a_new_update_moves_the_stored_page_and_the_sitemap(client, story, editor):
    client.get(story.get_absolute_url())
    index = client.get(reverse("articles:sitemap_index")).content.decode()
    update = update_post(story, by=editor, n=7)
    story.refresh_from_db()
    assert "Update headline 7" in client.get(story.get_absolute_url()).content.decode()
    sitemap = client.get(reverse("articles:sitemap", args=["articles"])).content.decode()
    assert f"<lastmod>{story.updated_at.date().isoformat()}" in sitemap
    assert story.updated_at == update.published_at
    assert client.get(reverse("articles:sitemap_index")).content.decode() != index


def test_the_story_feed_lists_its_updates_without_their_text(client, story, editor):
    updates = [update_post(story, by=editor, n=n) for n in range(3)]
    feed = client.get(reverse("articles:live_feed", args=[story.slug])).content.decode()
    titles = re.findall(r"<title>(.*?)</title>", feed)[1:]
    assert titles == [u.headline for u in reversed(updates)]
    assert f"{story.get_absolute_url()}#update-{updates[0].pk}</link>" in feed
    assert SECRET not in feed
    page = client.get(story.get_absolute_url()).content.decode()
    assert reverse("articles:live_feed", args=[story.slug]) in page


def test_the_running_story_leads_its_hub(client, story, editor):
    tag = factories.TagFactory(name="Ferry strike")
    story.tags.add(tag)
    point = update_post(story, by=editor, n=1, is_key_point=True)
    other = factories.article_published(by=editor, section=story.section, tags=[tag])
    for url in (tag.get_absolute_url(), story.section.get_absolute_url()):
        html = client.get(url).content.decode()
        hub = html.split('class="live-hub"', 1)[1].split("</section>", 1)[0]
        assert story.headline in hub and point.headline in hub
        assert SECRET not in html
        assert html.index('class="live-hub"') < html.index(other.headline)
    newest = update_post(story, by=editor, n=2)
    assert newest.headline in client.get(tag.get_absolute_url()).content.decode()
    committed(lambda: live_services.live_end(coverage=story.live_coverage, by=editor))
    assert 'class="live-hub"' not in client.get(tag.get_absolute_url()).content.decode()


def test_an_update_author_renamed_shows_on_the_stored_page(client, story, editor):
    author = factories.AuthorFactory(user=editor, name="Edna Editor")  # no byline on it
    update_post(story, by=editor)
    assert "Edna Editor" in client.get(story.get_absolute_url()).content.decode()
    author.name = "Edna Editor-Okafor"
    committed(author.save)
    assert "Edna Editor-Okafor" in client.get(story.get_absolute_url()).content.decode()
