"""One version number for all published content, so that cached fronts never go stale.

Fragments that depend on what is live (fronts, lists, feeds) put the version in their cache
key; any save, publication, go-live or unpublication moves it on. Nothing has to find and
delete the old keys: they expire.
"""

import time

from django.core.cache import cache

VERSION_KEY = "articles:content-version"


def content_version() -> int:
    return cache.get_or_set(VERSION_KEY, time.time_ns, timeout=None)


def content_changed() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def versioned_get(key: str):
    """The content version and the entry stored under `key` for it, in one round trip.

    Entries are (version, value) pairs; one stored for an older version reads as None.
    """
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY) or content_version()
    entry = found.get(key)
    return version, entry[1] if entry and entry[0] == version else None
