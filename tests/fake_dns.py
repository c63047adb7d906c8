"""Fake DNS for crawler verification (paywall/crawlers.py): a few records, each lookup
counted. The named resolvers take no arguments, so a test or the served site under test
can inject them by dotted path in `PAYWALL_CRAWLER_RESOLVER`."""


class FakeResolver:
    """A DNS with a few records, counting its lookups."""

    def __init__(self, reverse=None, forward=None):
        self.reverse_records = reverse or {}
        self.forward_records = forward or {}
        self.lookups = 0

    def reverse(self, ip):
        self.lookups += 1
        return self.reverse_records.get(ip)

    def forward(self, host):
        self.lookups += 1
        return self.forward_records.get(host, set())


GOOGLEBOT_IP = "66.249.66.1"
GOOGLEBOT_HOST = "crawl-66-249-66-1.googlebot.com"


class GoogleDNS(FakeResolver):
    """One real Googlebot address, with the trailing dot a reverse lookup gives."""

    def __init__(self):
        super().__init__({GOOGLEBOT_IP: f"{GOOGLEBOT_HOST}."}, {GOOGLEBOT_HOST: {GOOGLEBOT_IP}})


# The served site under test: load tests send verified crawler traffic from 127.0.0.1 and
# impostors (a crawler's user agent, no matching DNS) from 127.0.0.2, both on loopback.
CRAWLER_IP = "127.0.0.1"
CRAWLER_HOST = "crawl-127-0-0-1.googlebot.com"


class LoopbackResolver(FakeResolver):
    """127.0.0.1 is a Google crawler, nothing else is."""

    def __init__(self):
        super().__init__({CRAWLER_IP: CRAWLER_HOST}, {CRAWLER_HOST: {CRAWLER_IP}})


# Pictures named by an export (articles/importers/fetch.py): the old site's media host
# answers on loopback, which its fetch is told to allow; the other names are the inside.
MEDIA_HOST = "media.example"


class MediaDNS(FakeResolver):
    def __init__(self):
        super().__init__(
            forward={
                MEDIA_HOST: {"127.0.0.1"},
                "intranet.example": {"10.0.0.5"},
                "metadata.example": {"169.254.169.254"},
                "mixed.example": {"93.184.216.34", "192.168.1.10"},
                "mapped.example": {"::ffff:127.0.0.1"},
            }
        )
