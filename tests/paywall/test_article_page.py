"""The paywall on the article page, end to end through the middleware and the view."""

import logging

import pytest
import redis
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from paywall.models import FunnelDay, Meter, PaywallSettings
from paywall.selectors import paywall_settings_forget
from paywall.services import funnel_flush
from tests.accounts.mailbox import emailed_code
from tests.paywall.conftest import redis_meter
from tests.paywall.pages import GATED, read

pytestmark = pytest.mark.django_db


def walk_to_the_wall(client, articles):
    return [read(client, article) for article in articles[:11]]


def test_the_meter_nudges_from_the_third_article_and_walls_the_eleventh(client, metered_articles):
    pages = walk_to_the_wall(client, metered_articles)
    assert all(page.status == 200 for page in pages)
    assert [page.full for page in pages] == [True] * 10 + [False]
    assert [page.prompts.get("nudge") for page in pages] == [None, None, *range(3, 11), None]
    assert pages[-1].prompts["wall"] == 10
    assert pages[-1].lead_only
    # An article counted this month stays readable, still nudged, and not counted again.
    again = read(client, metered_articles[2])
    assert again.full and again.prompts["nudge"] == 10
    assert read(client, metered_articles[11]).prompts["wall"] == 10


def test_the_wall_brings_the_reader_back_to_the_article(client, metered_articles):
    wall = walk_to_the_wall(client, metered_articles)[-1]
    walled = metered_articles[10]
    assert f'href="/accounts/signup/?next={walled.get_absolute_url()}"' in wall.html
    assert f'href="/accounts/login/?next={walled.get_absolute_url()}"' in wall.html
    password = "a-long-reader-password-42"
    response = client.post(
        f"/accounts/signup/?next={walled.get_absolute_url()}",
        {"email": "from-the-wall@example.org", "password1": password, "password2": password},
    )
    response = client.post(response["Location"], {"code": emailed_code()})
    assert response["Location"] == walled.get_absolute_url()
    page = read(client, walled)
    assert page.full and not page.prompts.get("wall") and not page.prompts.get("nudge")
    funnel_flush()
    assert FunnelDay.objects.get(article_id=walled.pk).signups == 1


def test_free_articles_are_never_counted(client, metered_articles, free_article):
    pages = walk_to_the_wall(client, metered_articles)
    assert not pages[-1].full
    free = read(client, free_article)
    assert free.full and "nudge" not in free.prompts and "wall" not in free.prompts
    assert 'data-access="free"' in free.html


def test_registered_readers_are_never_walled_or_nudged(client, reader, metered_articles):
    client.force_login(reader)
    pages = [read(client, article) for article in metered_articles]
    assert all(page.full for page in pages)
    assert not any("nudge" in p.prompts or "wall" in p.prompts for p in pages)


def meter_store_size() -> int:
    """Readers the page's meter keeps anything for: Meter rows, and meter sets in Redis."""
    stored = Meter.objects.count()
    if settings.REDIS_URL:
        client = redis.Redis.from_url(settings.REDIS_URL)
        stored += sum(1 for _k in client.scan_iter(f"{settings.PAYWALL_REDIS_PREFIX}:meter:*"))
    return stored


def test_views_without_a_cookie_store_nothing_per_reader(metered_articles):
    pages = [read(Client(), metered_articles[n % 3]) for n in range(30)]
    assert all(page.full and not page.prompts.get("wall") for page in pages)
    assert meter_store_size() == 0
    funnel_flush()
    rows = FunnelDay.objects.filter(article_id__in=[a.pk for a in metered_articles])
    assert sum(r.views for r in rows) == 30


def test_a_reader_coming_back_with_the_cookie_is_counted_exactly(client, metered_articles):
    PaywallSettings.objects.create(pk=1, nudge_from=1, wall_after=3)
    first, second, third, fourth = metered_articles[:4]
    assert read(client, first).prompts["nudge"] == 1  # counted in the cookie only
    assert meter_store_size() == 0
    counts = [read(client, article).prompts for article in (second, first, second, third)]
    assert counts == [{"nudge": 2}, {"nudge": 2}, {"nudge": 2}, {"nudge": 3}]
    assert meter_store_size() == 1
    walled = read(client, fourth)
    assert walled.lead_only and walled.prompts["wall"] == 3
    again = read(client, first)
    assert again.full and again.prompts["nudge"] == 3


def test_a_tampered_cookie_is_a_new_reader(client, metered_articles):
    walk_to_the_wall(client, metered_articles)
    cookie = client.cookies["reader"]
    cookie.set("reader", cookie.value[:-3] + "xyz", cookie.value[:-3] + "xyz")
    page = read(client, metered_articles[11])
    assert page.status == 200 and page.full and not page.prompts.get("nudge")
    assert client.cookies["reader"].value != cookie.value  # a new reader's cookie


def test_the_reader_cookie_is_http_only_and_lax(client, metered_articles):
    PaywallSettings.objects.create(pk=1, donate_interval_hours=10**6)  # no appeal to set it
    response = client.get(metered_articles[0].get_absolute_url())
    cookie = response.cookies["reader"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # SESSION_COOKIE_SECURE is off on the plain-HTTP run


def test_a_meter_store_that_is_down_serves_the_page_in_full(settings, metered_articles, caplog):
    settings.PAYWALL_METER_BACKEND = "paywall.meters.redis.RedisMeter"
    settings.PAYWALL_REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port
    client = Client()
    with caplog.at_level(logging.ERROR, logger="paywall.access"):
        pages = [read(client, article) for article in metered_articles]
    assert all(page.status == 200 and page.full for page in pages)
    assert not any("nudge" in p.prompts or "wall" in p.prompts for p in pages)
    assert "meter unavailable" in caplog.text
    assert FunnelDay.objects.get(article_id=metered_articles[0].pk).meter_errors == 1


def test_a_verified_crawler_reads_everything_and_counts_nowhere(settings, metered_articles):
    settings.PAYWALL_CRAWLER_RESOLVER = "tests.fake_dns.GoogleDNS"
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    crawler = Client(REMOTE_ADDR="66.249.66.1", HTTP_USER_AGENT=googlebot)
    pages = [read(crawler, article) for article in metered_articles]
    assert all(page.full and not page.prompts for page in pages)
    assert "reader" not in crawler.cookies
    assert '"isAccessibleForFree": false' in pages[0].html
    assert '"cssSelector": ".article-rest"' in pages[0].html
    funnel_flush()
    assert not FunnelDay.objects.filter(article_id__in=[a.pk for a in metered_articles]).exists()


def test_a_user_agent_that_only_claims_to_be_a_crawler_is_metered(settings, metered_articles):
    settings.PAYWALL_CRAWLER_RESOLVER = "tests.fake_dns.GoogleDNS"
    googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    pretender = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT=googlebot)
    pages = walk_to_the_wall(pretender, metered_articles)
    assert pages[-1].lead_only and pages[-1].prompts["wall"] == 10


def test_editors_settings_move_the_thresholds_and_the_copy(client, metered_articles):
    PaywallSettings.objects.create(
        pk=1, nudge_from=1, wall_after=2, wall_text="Stop here after {reads}, friend."
    )
    pages = [read(client, article) for article in metered_articles[:3]]
    assert [p.prompts.get("nudge") for p in pages] == [1, 2, None]
    assert pages[2].prompts["wall"] == 2 and "Stop here after 2, friend." in pages[2].html


def test_a_switched_off_paywall_meters_nobody(client, metered_articles):
    PaywallSettings.objects.create(pk=1, enabled=False)
    pages = [read(client, article) for article in metered_articles]
    assert all(p.full and "wall" not in p.prompts for p in pages)


def test_the_funnel_counts_views_nudges_and_walls(client, metered_articles):
    walk_to_the_wall(client, metered_articles)
    funnel_flush()
    rows = FunnelDay.objects.filter(article_id__in=[a.pk for a in metered_articles])
    assert sum(r.views for r in rows) == 11
    assert sum(r.nudges for r in rows) == 8
    assert sum(r.walls for r in rows) == 1


def test_the_gated_text_reaches_a_walled_reader_through_no_door(client, metered_articles, section):
    """The leak test: every response a walled reader can get, searched for every gated line."""
    walk_to_the_wall(client, metered_articles)
    walled = metered_articles[10]
    url = walled.get_absolute_url()
    doors = [
        url,
        f"{url}?print=1",
        "/",
        "/feed/",
        "/feed/atom/",
        f"/section/{section.slug}/",
        f"/section/{section.slug}/feed/",
        f"/section/{section.slug}/feed/atom/",
        "/search/?q=marker-5",
        f"/search/?q={walled.headline}",
        "/sitemap.xml",
    ]
    for door in doors:
        response = client.get(door, follow=True)
        assert response.status_code == 200, door
        body = response.content.decode()
        leaked = [marker for marker in GATED if marker in body]
        assert not leaked, (door, leaked)
    page = client.get(url).content.decode()
    assert "marker-1" in page and 'data-paywall="wall"' in page  # the lead is there
    client.force_login(walled.created_by)
    assert all(marker in client.get(url).content.decode() for marker in GATED)


def test_on_redis_a_metered_view_adds_no_database_query(settings, metered_articles):
    """The funnel counters ride in the meter's Lua call: nothing is written per view."""
    redis_meter()  # skips (or fails under CI) without Redis
    settings.PAYWALL_METER_BACKEND = "paywall.meters.redis.RedisMeter"
    client = Client()
    rules = PaywallSettings.objects.create(pk=1, enabled=False)
    paywall_settings_forget()
    read(client, metered_articles[0])  # warm the caches (settings, body split)
    with CaptureQueriesContext(connection) as unmetered:
        assert "nudge" not in read(client, metered_articles[0]).prompts
    rules.enabled = True
    rules.save()
    paywall_settings_forget()
    read(client, metered_articles[0])  # settings re-read once per process and period
    with CaptureQueriesContext(connection) as metered:
        assert read(client, metered_articles[0]).full
    assert len(metered) == len(unmetered), [q["sql"] for q in metered]
    client = redis_meter().client
    assert client.exists(next(client.scan_iter(f"{settings.PAYWALL_REDIS_PREFIX}:meter:*")))


def test_logging_in_from_the_wall_returns_to_the_full_article(client, reader, metered_articles):
    reader.set_password("a-long-reader-password-42")
    reader.save()
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    walk_to_the_wall(client, metered_articles)
    walled = metered_articles[10].get_absolute_url()
    response = client.post(
        f"/accounts/login/?next={walled}",
        {"login": reader.email, "password": "a-long-reader-password-42"},
    )
    assert response["Location"] == walled
    assert read(client, metered_articles[10]).full
