"""The page cache (newsroom/page_cache.py): the backend stores values as they are; scopes'
versions are learnt in one round trip, trusted for a while (and then while their group has not
moved) and expire."""

import os
import pickle
import time

import pytest
from django.core.cache import cache as django_cache
from django.core.cache.backends.base import CacheKeyWarning

from newsroom import page_cache
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


def test_a_missing_expired_or_empty_entry_is_the_default_and_its_file_goes(cache):
    assert cache.get("absent", "default") == "default"
    cache.set("page", SHELL, timeout=-1)
    assert cache.get("page") is None
    assert not os.path.exists(cache._key_to_file("page"))
    open(cache._key_to_file("cut short"), "wb").close()
    assert cache.get("cut short", "default") == "default"
    assert not os.path.exists(cache._key_to_file("cut short"))


def test_any_key_will_do_without_a_warning(cache, recwarn):
    """Memcached's limits (250 characters, no spaces) are not this cache's: page keys name
    the site and the slug, which may be long."""
    key = "articles:page:anonymous:https://news.example/ " + "slug-" * 60
    cache.set(key, SHELL)
    assert cache.get(key) == SHELL
    assert not [w for w in recwarn if issubclass(w.category, CacheKeyWarning)]


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


@pytest.fixture
def get_many_calls(monkeypatch):
    """The versions' cache round trips."""
    from django.core.cache import cache as versions_cache

    calls = []
    real = versions_cache.get_many
    monkeypatch.setattr(versions_cache, "get_many", lambda keys: calls.append(keys) or real(keys))
    return calls


def test_a_worker_learns_its_scopes_in_one_round_trip_and_trusts_them_for_the_set_time(
    settings, get_many_calls
):
    settings.CONTENT_VERSION_TRUST_SECONDS = 1.0
    page_cache._readings.clear()
    first = page_cache.scopes_versions(["story:1", "chrome"], now=100.0)
    assert len(get_many_calls) == 1 and set(first) == {"story:1", "chrome"}
    page_cache._scopes_move(frozenset(["story:2"]))  # another scope: read on its own
    another_workers_move("story:1", 7)
    assert page_cache.scopes_versions(["story:1", "chrome"], now=100.9) == first
    assert len(get_many_calls) == 1  # trusted: no round trip
    assert page_cache.scopes_versions(["story:1"], now=101.0) == {"story:1": 7}


def another_workers_move(name: str, version: int) -> None:
    """What _scopes_move() writes, done elsewhere: this worker's readings stay as they are."""
    group = page_cache._group(name)
    django_cache.set_many({page_cache.VERSION_PREFIX + name: version, group: version}, None)


def test_every_group_is_read_once_a_window_and_a_scope_again_only_once_its_group_moved(
    settings, get_many_calls
):
    settings.CONTENT_VERSION_TRUST_SECONDS = 1.0
    page_cache._readings.clear()
    names = ["story:1", "chrome", "thread:1"]
    assert len({page_cache._group(name) for name in names}) == 3
    for name in names:  # made elsewhere before
        another_workers_move(name, 1)
    first = page_cache.scopes_versions(names[:2], now=100.0)
    assert len(get_many_calls[0]) == page_cache.GROUPS + 2
    page_cache.scopes_versions(["thread:1"], now=100.5)  # not read yet: read on its own
    assert len(get_many_calls) == 2 and len(get_many_calls[1]) == 2  # with its group
    another_workers_move("story:1", 7)
    page_cache.scopes_versions(["thread:1"], now=101.5)  # a new window: every group read
    assert len(get_many_calls) == 3
    assert page_cache.scopes_versions(["chrome"], now=101.6) == {"chrome": first["chrome"]}
    assert len(get_many_calls) == 3  # its group has not moved: trusted
    assert page_cache.scopes_versions(["story:1"], now=101.7) == {"story:1": 7}
    assert len(get_many_calls) == 4  # its group moved: read again


def test_a_version_another_worker_created_first_is_the_one_kept(settings, monkeypatch):
    settings.CONTENT_VERSION_TRUST_SECONDS = 1.0
    page_cache._readings.clear()
    key = page_cache.VERSION_PREFIX + "story:9"
    real = django_cache.get_many
    # Created elsewhere between this worker's reading and its own creation of it.
    django_cache.set(key, 5, None)
    monkeypatch.setattr(
        django_cache, "get_many", lambda keys: {k: v for k, v in real(keys).items() if k != key}
    )
    page_cache.scopes_versions(["story:9"], now=100.0)
    monkeypatch.undo()
    assert django_cache.get(key) == 5
    assert page_cache.scopes_versions(["story:9"], now=100.1) == {"story:9": 5}


def test_a_change_made_in_this_worker_is_seen_at_once_and_moves_only_its_scopes(
    settings, db, django_capture_on_commit_callbacks
):
    settings.CONTENT_VERSION_TRUST_SECONDS = 60.0
    page_cache._readings.clear()
    before = page_cache.scopes_versions(["story:1", "story:2"])
    with django_capture_on_commit_callbacks(execute=True):
        page_cache.scopes_changed(["story:1"])
        assert page_cache.scopes_versions(["story:1"]) == {"story:1": before["story:1"]}
    after = page_cache.scopes_versions(["story:1", "story:2"])  # committed: moved
    assert after["story:1"] != before["story:1"] and after["story:2"] == before["story:2"]


def test_every_version_key_expires_after_any_page_stored_under_it(settings):
    page_cache._readings.clear()
    page_cache.scopes_versions(["thread:1"])  # created on first reading
    page_cache._scopes_move(frozenset(["chrome"]))  # moved by a change
    keys = [page_cache.VERSION_PREFIX + name for name in ("thread:1", "chrome")]
    for key in [*keys, page_cache._group("thread:1"), page_cache._group("chrome")]:
        expires = django_cache._expire_info[django_cache.make_key(key)]
        ttl = expires - time.time()
        assert settings.CACHES["pages"].get("TIMEOUT", 300) < ttl <= page_cache.VERSION_SECONDS
