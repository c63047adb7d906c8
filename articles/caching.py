"""One version number for all published content, so that cached pages never go stale.

Pages and fragments that depend on what is live (the article page, fronts, lists, feeds) put
the version in their cache key; any save, publication, go-live, unpublication or comment
change moves it on. Nothing has to find and delete the old keys: they expire.

Each web worker trusts the version it last read for CONTENT_VERSION_TRUST_SECONDS, so that a
page view costs no round trip to learn it; a change made in the worker itself is seen at once.
"""

import time

from django.conf import settings
from django.core.cache import cache

VERSION_KEY = "articles:content-version"

# This worker's last reading: (monotonic time read, version).
_known: dict[str, tuple[float, int]] = {}


def content_version(*, now: float | None = None) -> int:
    now = time.monotonic() if now is None else now
    known = _known.get("version")
    if known is None or now - known[0] >= settings.CONTENT_VERSION_TRUST_SECONDS:
        known = _known["version"] = (now, cache.get_or_set(VERSION_KEY, time.time_ns, None))
    return known[1]


def content_changed() -> None:
    version = time.time_ns()
    cache.set(VERSION_KEY, version, timeout=None)
    _known["version"] = (time.monotonic(), version)


def versioned_get(key: str):
    """The content version and the entry stored under `key` for it.

    Entries are (version, value) pairs; one stored for an older version reads as None.
    """
    version = content_version()
    entry = cache.get(key)
    return version, entry[1] if entry and entry[0] == version else None
