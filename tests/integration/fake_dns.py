"""A resolver for the served site under test: 127.0.0.1 is a Google crawler, nothing else is.

Load tests send verified crawler traffic from 127.0.0.1 and impostors (a crawler's user
agent, no matching DNS) from 127.0.0.2, both on loopback.
"""

CRAWLER_IP = "127.0.0.1"
CRAWLER_HOST = "crawl-127-0-0-1.googlebot.com"


class LoopbackResolver:
    def reverse(self, ip: str) -> str | None:
        return CRAWLER_HOST if ip == CRAWLER_IP else None

    def forward(self, host: str) -> set[str]:
        return {CRAWLER_IP} if host == CRAWLER_HOST else set()
