"""A fixed-window counter in the Django cache whose window is what it says on every backend.

A window of `window` seconds starts at each multiple of `window` since the epoch, and its
start is in the key: `ratelimit:<name>:<window>:<start>`. The first hit of a window adds the
key with a timeout of one window; every hit then `incr`s it. A refused hit cannot push the
window back (the next window has a key of its own), and the key outlives its window on every
backend: Django's generic `incr` (the file and database caches) re-saves the key with the
cache's default timeout, 300 s, which made the alert sign-up's "10 an hour" 10 every five
quiet minutes; there the expiry is set again to a whole window after the `incr`.

Fixed windows let a client spend up to twice the limit across a boundary; for floods of mail
and sign-ups that is fine, and it costs one key and two cache calls per hit (three on the
file cache). An unreachable Redis raises, as counters do (newsroom/cache.py).
"""

import time

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache


def hit(
    *, name: str, limit: int, window: int, now: float | None = None, cache: BaseCache | None = None
) -> bool:
    """Count one hit for `name` in the current window; True while the count is within `limit`.

    `now` (seconds since the epoch) and `cache` can be injected; by default the wall clock
    and the default cache.
    """
    cache = cache or caches["default"]
    now = time.time() if now is None else now
    key = f"ratelimit:{name}:{window}:{int(now // window)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr: this hit starts the count again
        cache.add(key, 1, timeout=window)
        count = 1
    if type(cache).incr is BaseCache.incr:
        cache.touch(key, timeout=window)
    return count <= limit
