"""The page cache's backend (newsroom/page_cache.py): values stored as they are."""

import os
import pickle

import pytest

from newsroom.page_cache import PlainFileCache

SHELL = {"parts": ("<main>", "</main>"), "rest": "<p>Ünïcode survives.</p>"}


@pytest.fixture
def cache(tmp_path):
    return PlainFileCache(str(tmp_path), {"TIMEOUT": 60})


def test_a_value_comes_back_as_stored_and_the_file_holds_it_uncompressed(cache):
    cache.set("page", SHELL)
    assert cache.get("page") == SHELL
    with open(cache._key_to_file("page"), "rb") as f:
        pickle.load(f)  # noqa: S301 - the expiry
        assert pickle.load(f) == SHELL  # noqa: S301 - the value, without zlib


def test_a_missing_or_expired_value_is_the_default(cache):
    assert cache.get("absent", "default") == "default"
    cache.set("page", SHELL, timeout=-1)
    assert cache.get("page") is None


def test_touch_keeps_the_value_and_gives_it_a_new_expiry(cache):
    assert cache.touch("absent") is False
    cache.set("page", SHELL, timeout=-1)
    assert cache.touch("page", timeout=60) is False  # expired values are not revived
    cache.set("page", SHELL, timeout=1)
    assert cache.touch("page", timeout=None) is True
    assert cache.get("page") == SHELL
    with open(cache._key_to_file("page"), "rb") as f:
        assert pickle.load(f) is None  # noqa: S301 - no expiry any more


def _stored(cache, count: int) -> list[str]:
    """Stores `count` pages, each written a second after the one before."""
    keys = [f"page-{n}" for n in range(count)]
    for n, key in enumerate(keys):
        cache.set(key, SHELL)
        os.utime(cache._key_to_file(key), (1_000_000 + n, 1_000_000 + n))
    return keys


def test_past_the_limit_the_pages_written_longest_ago_go_first(tmp_path):
    options = {"MAX_ENTRIES": 6, "CULL_FREQUENCY": 3, "CULL_INTERVAL_SECONDS": 0}
    cache = PlainFileCache(str(tmp_path), {"OPTIONS": options})
    keys = _stored(cache, 6)
    cache.set("newest", SHELL)  # six entries: the store culls to four before writing
    assert [key for key in keys if cache.has_key(key)] == keys[2:]
    assert cache.get("newest") == SHELL


def test_the_folder_is_looked_at_once_per_interval(tmp_path):
    options = {"MAX_ENTRIES": 2, "CULL_INTERVAL_SECONDS": 3600}
    cache = PlainFileCache(str(tmp_path), {"OPTIONS": options})
    _stored(cache, 5)  # the first store looked (one entry then); the others did not
    assert len(cache._list_cache_files()) == 5
