"""The page cache's backend: Django's file cache, storing values uncompressed and culling
rarely, oldest first.

A stored article page is read on every view. Decompressing it cost as much as reading it
from the OS file cache (docs/benchmarks.md), and the disk has room for the pages as they are.

Every publication moves the content version, so each article's next view stores a new page.
Django's file cache lists the whole folder on every store to decide whether to cull (13 ms
for 3,000 pages here, about 90 ms at the 20,000 allowed), and then deletes entries at random,
current pages as likely as stale ones. Here the folder is looked at once a minute per worker,
and the entries written longest ago, the stale versions', go first.
"""

import contextlib
import os
import pickle
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_INTERVAL_SECONDS = 60


class PlainFileCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self.cull_interval = params.get("OPTIONS", {}).get(
            "CULL_INTERVAL_SECONDS", CULL_INTERVAL_SECONDS
        )
        self._culled_at = None

    def get(self, key, default=None, version=None):
        try:
            with open(self._key_to_file(key, version), "rb") as f:
                if not self._is_expired(f):
                    return pickle.load(f)  # noqa: S301 - our own files, as in Django's file cache
        except FileNotFoundError:
            pass
        return default

    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(pickle.dumps(value, self.pickle_protocol))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        """Written anew: the parent's reads the value compressed."""
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True

    def _cull(self):
        """Past MAX_ENTRIES, down to two thirds of it (CULL_FREQUENCY 3), oldest first."""
        now = time.monotonic()
        if self._culled_at is not None and now - self._culled_at < self.cull_interval:
            return
        self._culled_at = now
        files = self._list_cache_files()
        if len(files) < self._max_entries:
            return
        ages = []
        for name in files:
            with contextlib.suppress(FileNotFoundError):  # another worker culled it
                ages.append((os.stat(name).st_mtime, name))
        ages.sort()
        keep = self._max_entries - self._max_entries // max(self._cull_frequency, 1)
        for _, name in ages[: len(ages) - keep]:
            self._delete(name)
