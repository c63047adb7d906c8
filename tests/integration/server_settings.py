"""Production settings for the site that the load and fault tests serve with gunicorn.

Only the crawler DNS resolver is swapped for a loopback one; the rest comes from the
environment the fixtures set, as in production.
"""

from newsroom.settings import *  # noqa: F403

PAYWALL_CRAWLER_RESOLVER = "tests.fake_dns.LoopbackResolver"
