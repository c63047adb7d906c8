"""A fixed-window counter in the Django cache whose window is what it says on every backend.

A window of `window` seconds starts at each multiple of `window` since the epoch, and its
start is in the key: `ratelimit:<name>:<window>:<start>`. The first hit of a window adds the
key with a timeout of one window; every hit then `incr`s it. A refused hit cannot push the
window back (the next window has a key of its own), and the key outlives its window on every
backend: Django's generic `incr` (the file and database caches) re-saves the key with the
cache's default timeout, 300 s, which made the alert sign-up's "10 an hour" 10 every five
quiet minutes; there the expiry is set again to a whole window after the `incr`.

That generic `incr` is a read and then a write, so two processes counting at once could both
write the same number and let a flood through: on the file cache (the embedded default) each
count holds an exclusive lock on a file beside the cache's, so one process counts at a time.
Redis counts atomically by itself.

Fixed windows let a client spend up to twice the limit across a boundary; for floods of mail
and sign-ups that is fine, and it costs one key and two cache calls per hit (three on the
file cache). An unreachable Redis raises `LimiterUnavailable` (counters never fail soft,
newsroom/cache.py): the caller answers that the form is not available for now.
"""

import contextlib
import fcntl
import os
import time

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

LOCK_FILE = "ratelimit.lock"


class LimiterUnavailable(Exception):
    """The store that counts could not be reached: nothing can be allowed or refused."""


def _key(name: str, window: int, now: float | None) -> str:
    now = time.time() if now is None else now
    return f"ratelimit:{name}:{window}:{int(now // window)}"


@contextlib.contextmanager
def _one_at_a_time(cache: BaseCache):
    if not isinstance(cache, FileBasedCache):
        yield
        return
    os.makedirs(cache._dir, exist_ok=True)
    with open(os.path.join(cache._dir, LOCK_FILE), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextlib.contextmanager
def _reachable():
    try:
        yield
    except (RedisConnectionError, RedisTimeoutError) as error:
        raise LimiterUnavailable(str(error)) from error


def _count(cache: BaseCache, key: str, window: int, delta: int) -> int:
    with _reachable(), _one_at_a_time(cache):
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key, delta)
        except ValueError:  # evicted between add and incr: this hit starts the count again
            count = max(delta, 0)
            cache.add(key, count, timeout=window)
        if type(cache).incr is BaseCache.incr:
            cache.touch(key, timeout=window)
    return count


def hit(
    *, name: str, limit: int, window: int, now: float | None = None, cache: BaseCache | None = None
) -> bool:
    """Count one hit for `name` in the current window; True while the count is within `limit`.

    `now` (seconds since the epoch) and `cache` can be injected; by default the wall clock
    and the default cache.
    """
    cache = cache or caches["default"]
    return _count(cache, _key(name, window, now), window, 1) <= limit


def unhit(
    *, name: str, window: int, now: float | None = None, cache: BaseCache | None = None
) -> None:
    """Take back one hit of the current window (one that turned out not to count)."""
    cache = cache or caches["default"]
    _count(cache, _key(name, window, now), window, -1)


def forget(
    *, name: str, window: int, now: float | None = None, cache: BaseCache | None = None
) -> None:
    """Start the current window's count for `name` again."""
    (cache or caches["default"]).delete(_key(name, window, now))
