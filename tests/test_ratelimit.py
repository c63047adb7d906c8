"""The fixed-window limiter (newsroom/ratelimit.py) on every cache backend we deploy on."""

import time
import uuid

import pytest
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache

from newsroom import ratelimit
from newsroom.cache import FailSoftRedisCache
from tests.conftest import require_service

HOUR = 3600
START = 1_800_000_000.0 // HOUR * HOUR  # the start of an hour


@pytest.fixture(params=["file", "locmem", "redis"])
def backend(request, tmp_path):
    """Each backend with a default timeout far shorter than the window, as the file cache's
    300 s is shorter than an hour: the window must not depend on it."""
    params = {"TIMEOUT": 1}
    if request.param == "file":
        return FileBasedCache(str(tmp_path), params)
    if request.param == "locmem":
        return LocMemCache(f"ratelimit-{uuid.uuid4()}", params)
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    return FailSoftRedisCache(settings.REDIS_URL, {**params, "KEY_PREFIX": uuid.uuid4().hex})


def hits(backend, name, times, now):
    return [
        ratelimit.hit(name=name, limit=10, window=HOUR, now=now, cache=backend)
        for _ in range(times)
    ]


def test_ten_an_hour_means_ten_an_hour(backend):
    assert hits(backend, "a", 10, START) == [True] * 10
    assert hits(backend, "a", 1, START + 1) == [False]
    assert hits(backend, "b", 1, START + 1) == [True]  # another name counts on its own


def test_refused_hits_do_not_push_the_window_back(backend):
    hits(backend, "a", 10, START)
    assert hits(backend, "a", 5, START + HOUR - 1) == [False] * 5
    assert hits(backend, "a", 10, START + HOUR) == [True] * 10  # exactly one window later
    assert hits(backend, "a", 1, START + HOUR) == [False]


def test_the_count_outlives_the_cache_s_default_timeout(backend):
    """The file cache's incr re-saves with the default timeout: a quiet spell longer than it,
    within the window, must not start the count again."""
    hits(backend, "a", 10, START)
    time.sleep(1.2)
    assert hits(backend, "a", 1, START + 2) == [False]
