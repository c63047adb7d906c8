"""The page cache's backend (newsroom/page_cache.py): values stored as they are."""

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
