"""Search-engine crawlers, verified the way the engines ask: reverse DNS, then forward.

A user agent naming a crawler proves nothing. The request's address must resolve to a host
under the engine's published suffix, and that host must resolve back to the same address.
Verdicts are cached (a day by default) so DNS is asked once per crawler address.
"""

import re
import socket

from django.core.cache import cache
from django.utils.module_loading import import_string

from paywall.conf import app_settings

# User-agent token -> host suffixes the engine documents for its crawler. Google's own
# crawler is under googlebot.com; google.com also holds the proxies that fetch pages on a
# person's behalf (translation among them), with whatever user agent that person sends.
ENGINES = {
    "googlebot": (".googlebot.com",),
    "bingbot": (".search.msn.com",),
    "applebot": (".applebot.apple.com",),
    "yandexbot": (".yandex.ru", ".yandex.net", ".yandex.com"),
}
_CLAIM = re.compile("|".join(ENGINES), re.IGNORECASE)
# In the verdicts' cache key: verdicts reached under other suffixes must not be reused.
VERDICT_FORMAT = 2


class SocketResolver:
    """The system resolver."""

    def reverse(self, ip: str) -> str | None:
        try:
            return socket.gethostbyaddr(ip)[0]
        except OSError:
            return None

    def forward(self, host: str) -> set[str]:
        try:
            return {info[4][0] for info in socket.getaddrinfo(host, None)}
        except OSError:
            return set()


def crawler_claimed(user_agent: str) -> str | None:
    """The engine a user agent claims to crawl for, if any."""
    match = _CLAIM.search(user_agent or "")
    return match.group(0).lower() if match else None


def crawler_verified(*, ip: str, user_agent: str, resolver=None) -> bool:
    engine = crawler_claimed(user_agent)
    if not engine or not ip:
        return False
    key = f"paywall:crawler:{VERDICT_FORMAT}:{engine}:{ip}"
    verdict = cache.get(key)
    if verdict is None:
        resolver = resolver or import_string(app_settings.CRAWLER_RESOLVER)()
        verdict = _confirm(ip, ENGINES[engine], resolver)
        cache.set(key, verdict, app_settings.CRAWLER_CACHE_SECONDS)
    return verdict


def _confirm(ip: str, suffixes: tuple[str, ...], resolver) -> bool:
    host = (resolver.reverse(ip) or "").rstrip(".").lower()
    if not host.endswith(suffixes):
        return False
    return ip in resolver.forward(host)
