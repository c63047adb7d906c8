"""One reader, twenty distinct articles at once: exactly ten are served in full.

In-process (threads through the whole Django stack) and over real HTTP against gunicorn with
several worker processes, on whichever database and meter the suite runs (SQLite and the
database meter locally; PostgreSQL and Redis in CI).
"""

import os
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

import pytest
from django.conf import settings
from django.core import signing
from django.db import connection
from django.test import Client
from django.utils import timezone

from bench.server import Server
from paywall.identity import SALT, Reader
from paywall.meters.base import period_for
from tests import factories
from tests.paywall.pages import GATED

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PARALLEL = 20


@pytest.fixture
def twenty_articles(section, editor):
    return [factories.article_published(section=section, by=editor) for _n in range(PARALLEL + 1)]


def reader_cookie(**state) -> str:
    """A reader's cookie as the site issues it (same SECRET_KEY), before any read."""
    return signing.dumps(asdict(Reader(**state)), salt=SALT, compress=True)


def run_at_once(fetch, paths: list[str]) -> list[str]:
    start = threading.Barrier(len(paths))

    def one(path):
        start.wait()
        try:
            return fetch(path)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(paths)) as pool:
        return list(pool.map(one, paths))


def full(html: str) -> bool:
    return all(sentence in html for sentence in GATED)


def test_twenty_parallel_reads_in_process_give_exactly_ten_full_pages(twenty_articles):
    cookie = reader_cookie()

    def fetch(path):
        client = Client()
        client.cookies["reader"] = cookie
        return client.get(path).content.decode()

    pages = run_at_once(fetch, [a.get_absolute_url() for a in twenty_articles[:PARALLEL]])
    assert sum(full(html) for html in pages) == 10
    assert sum('data-paywall="wall" data-reads="10"' in html for html in pages) == 10
    last = fetch(twenty_articles[PARALLEL].get_absolute_url())
    assert 'data-paywall="wall" data-reads="10"' in last


def test_parallel_reads_carrying_a_first_article_count_it_once(twenty_articles):
    """A reader back with the cookie of their first view: it takes one of the ten places."""
    first = twenty_articles[PARALLEL]
    cookie = reader_cookie(first=first.pk, first_period=period_for(timezone.now()).key)

    def fetch(path):
        client = Client()
        client.cookies["reader"] = cookie
        return client.get(path).content.decode()

    pages = run_at_once(fetch, [a.get_absolute_url() for a in twenty_articles[:PARALLEL]])
    assert sum(full(html) for html in pages) == 9
    assert full(fetch(first.get_absolute_url()))


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.test_settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    with Server(env=env, workers=4, log=tmp_path / "gunicorn.log") as server:
        yield server


def test_twenty_parallel_reads_over_http_give_exactly_ten_full_pages(gunicorn, twenty_articles):
    cookie = reader_cookie()

    def fetch(path):
        request = urllib.request.Request(  # noqa: S310 - our own gunicorn on loopback
            gunicorn.url + path, headers={"Cookie": f"reader={cookie}"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            return response.read().decode()

    pages = run_at_once(fetch, [a.get_absolute_url() for a in twenty_articles[:PARALLEL]])
    assert sum(full(html) for html in pages) == 10
    last = fetch(twenty_articles[PARALLEL].get_absolute_url())
    assert 'data-paywall="wall" data-reads="10"' in last
