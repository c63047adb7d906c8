"""The fixed-window limiter (newsroom/ratelimit.py) on every cache backend we deploy on."""

import multiprocessing
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


def _allowed_in_a_process(folder, start, hits_each, results):
    cache = FileBasedCache(folder, {"TIMEOUT": 300})
    start.wait()
    allowed = sum(
        ratelimit.hit(name="parallel", limit=100, window=HOUR, now=START, cache=cache)
        for _ in range(hits_each)
    )
    results.put(allowed)


def test_parallel_processes_on_the_file_cache_let_exactly_the_limit_through(tmp_path):
    """The embedded default's count is a read and a write: without one process at a time,
    two write the same number and more than the limit get through."""
    context = multiprocessing.get_context("fork")
    processes, hits_each = 8, 40
    start, results = context.Barrier(processes), context.Queue()
    workers = [
        context.Process(
            target=_allowed_in_a_process, args=(str(tmp_path), start, hits_each, results)
        )
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    allowed = sum(results.get(timeout=60) for _ in workers)
    for worker in workers:
        worker.join(timeout=60)
    assert allowed == 100
    assert not ratelimit.hit(
        name="parallel", limit=100, window=HOUR, now=START, cache=FileBasedCache(str(tmp_path), {})
    )
