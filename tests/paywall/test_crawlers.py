import pytest
from django.core.cache import cache

from paywall.crawlers import crawler_claimed, crawler_verified
from tests.fake_dns import FakeResolver, GoogleDNS

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_a_real_googlebot_is_verified_and_the_verdict_cached():
    resolver = GoogleDNS()
    assert crawler_verified(ip="66.249.66.1", user_agent=GOOGLEBOT, resolver=resolver)
    assert crawler_verified(ip="66.249.66.1", user_agent=GOOGLEBOT, resolver=resolver)
    assert resolver.lookups == 2


@pytest.mark.parametrize(
    ("ip", "reverse", "forward"),
    [
        ("203.0.113.9", {}, {}),  # no reverse record
        ("203.0.113.9", {"203.0.113.9": "googlebot.com.evil.example"}, {}),  # wrong suffix
        (
            "203.0.113.9",  # the attacker's reverse zone claims Google's name
            {"203.0.113.9": "crawl-1.googlebot.com"},
            {"crawl-1.googlebot.com": {"66.249.66.1"}},
        ),
        (
            "66.249.93.1",  # a Google proxy fetching for a person who calls themself Googlebot
            {"66.249.93.1": "google-proxy-66-249-93-1.google.com"},
            {"google-proxy-66-249-93-1.google.com": {"66.249.93.1"}},
        ),
    ],
)
def test_a_user_agent_that_only_claims_to_be_googlebot_is_not_verified(ip, reverse, forward):
    resolver = FakeResolver(reverse, forward)
    assert not crawler_verified(ip=ip, user_agent=GOOGLEBOT, resolver=resolver)


def test_a_browser_is_never_looked_up():
    resolver = FakeResolver()
    assert not crawler_verified(ip="66.249.66.1", user_agent="Mozilla/5.0", resolver=resolver)
    assert resolver.lookups == 0


def test_bing_is_checked_against_its_own_suffix():
    assert crawler_claimed("Mozilla/5.0 (compatible; bingbot/2.0)") == "bingbot"
    resolver = FakeResolver(
        reverse={"40.77.167.1": "msnbot-40-77-167-1.search.msn.com"},
        forward={"msnbot-40-77-167-1.search.msn.com": {"40.77.167.1"}},
    )
    assert crawler_verified(ip="40.77.167.1", user_agent="bingbot/2.0", resolver=resolver)
    assert not crawler_verified(ip="40.77.167.1", user_agent=GOOGLEBOT, resolver=resolver)


def test_a_verdict_cached_under_the_old_suffixes_is_not_reused():
    """Before googlebot.com alone, a Google proxy under google.com was verified for a day."""
    cache.set("paywall:crawler:googlebot:66.249.93.1", True, 86400)
    proxy = FakeResolver(
        reverse={"66.249.93.1": "google-proxy-66-249-93-1.google.com"},
        forward={"google-proxy-66-249-93-1.google.com": {"66.249.93.1"}},
    )
    assert not crawler_verified(ip="66.249.93.1", user_agent=GOOGLEBOT, resolver=proxy)
