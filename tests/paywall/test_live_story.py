"""A live story under the meter: counted once per period however often the reader comes back
or their page polls, and no update's text for a walled reader by any route."""

import json

import pytest
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import LiveCoverage
from paywall.identity import SALT
from paywall.meters.base import period_for
from paywall.meters.redis import meter_key
from paywall.models import MeterRead
from paywall.selectors import paywall_settings
from tests.articles.live_data import SECRET, live_story, update_post
from tests.paywall.conftest import redis_meter
from tests.paywall.pages import read

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(editor, section):
    story = live_story(editor=editor, section=section)
    for n in range(25):  # more than the first page holds
        update_post(story, by=editor, n=n, is_key_point=n == 3)
    return story


def counted(reader_id: str, story) -> bool:
    """Whether the meter's store holds the story for the reader this period."""
    period = period_for(timezone.now())
    if settings.REDIS_URL:
        return bool(redis_meter().client.sismember(meter_key(reader_id, period), story.pk))
    return MeterRead.objects.filter(meter__reader=reader_id, article_id=story.pk).exists()


def poll(client, story, since=0) -> dict:
    response = client.get(reverse("articles:live_new", args=[story.pk]), {"since": since})
    return json.loads(response.content)


def test_a_live_story_is_counted_once_however_often_the_reader_comes_back(
    client, story, metered_articles
):
    first = read(client, metered_articles[0])  # the reader now has a cookie
    assert first.full
    for _ in range(3):
        assert read(client, story).full
        assert poll(client, story)["full"]
    older = client.get(reverse("articles:live_updates", args=[story.slug]), {"page": 2})
    assert f"{SECRET}-0" in older.content.decode()
    # Counted: the first article and the story, once; the month's allowance has the rest.
    rest = [read(client, article) for article in metered_articles[1:]]
    wall_after = paywall_settings().wall_after
    assert sum(page.full for page in rest) == wall_after - 2
    assert rest[-1].prompts["wall"] == wall_after


def test_the_poll_counts_nothing_and_reads_nothing_to_a_reader_who_did_not_read_it(
    client, story, metered_articles
):
    read(client, metered_articles[0])
    answer = poll(client, story)
    version = LiveCoverage.objects.get(pk=story.pk).sequence
    assert answer == {"version": version, "running": True, "full": False}
    reader_id = signing.loads(client.cookies["reader"].value, salt=SALT)["id"]
    assert not counted(reader_id, story)
    assert read(client, story).full  # and the reader's first view of it is counted then
    assert counted(reader_id, story)


def test_a_poll_without_the_reader_cookie_gets_no_update_text(client, story):
    """Dropping the cookie must not read past the meter: the poll counts nothing, so it
    cannot stand for a first free view (the story's own pages count one)."""
    answer = poll(client, story)
    assert answer["full"] is False and "updates" not in answer
    assert "reader" not in client.cookies


def test_a_walled_reader_gets_no_update_text_by_any_route(client, story, metered_articles):
    pages = [read(client, article) for article in metered_articles[:10]]
    assert all(page.full for page in pages)
    walled = read(client, story)
    assert walled.prompts["wall"] == 10
    assert SECRET not in walled.html
    assert "data-live-updates-url" not in walled.html
    assert "Update headline 3" in walled.html  # key points are headlines, public
    routes = [
        reverse("articles:live_new", args=[story.pk]),
        reverse("articles:live_new", args=[story.pk]) + "?since=0",
        reverse("articles:live_updates", args=[story.slug]) + "?page=2",
        reverse("articles:live_feed", args=[story.slug]),
        reverse("articles:feed"),
        reverse("articles:search") + "?q=update",
        story.section.get_absolute_url(),
    ]
    for route in routes:
        response = client.get(route)
        assert response.status_code == 200, route
        assert SECRET not in response.content.decode(), route
    assert poll(client, story)["full"] is False
    older = client.get(routes[2]).content.decode()
    assert 'data-paywall="wall"' in older


def test_registered_readers_read_every_update(client, reader, story):
    client.force_login(reader)
    assert f"{SECRET}-24" in read(client, story).html
    answer = poll(client, story, since=LiveCoverage.objects.get(pk=story.pk).sequence - 1)
    assert f"{SECRET}-24" in answer["updates"][0]["html"]
