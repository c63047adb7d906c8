from django.core.cache import cache

from articles import caching


def test_a_worker_trusts_the_version_it_read_for_the_set_time(settings):
    settings.CONTENT_VERSION_TRUST_SECONDS = 1.0
    caching._known.clear()
    first = caching.content_version(now=100.0)
    cache.set(caching.VERSION_KEY, first + 1, None)  # another worker published something
    assert caching.content_version(now=100.9) == first
    assert caching.content_version(now=101.0) == first + 1


def test_a_change_made_in_this_worker_is_seen_at_once(settings):
    settings.CONTENT_VERSION_TRUST_SECONDS = 60.0
    caching._known.clear()
    before = caching.content_version()
    caching.content_changed()
    assert caching.content_version() != before
    assert caching.content_version() == cache.get(caching.VERSION_KEY)
