"""The paywall's deployment settings, with defaults.

What editors tune (thresholds, copy, donation URL) lives in the database (PaywallSettings);
what operators configure lives here, under PAYWALL_* in Django settings.

Each value is worked out once per process: reading an unset one from Django's settings
raises and catches an AttributeError, and the article page asks for several on every view.
A test that changes any setting empties what was kept.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed


class _Settings:
    def _get(self, name, default):
        return getattr(settings, f"PAYWALL_{name}", default)

    @functools.cached_property
    def METER_BACKEND(self) -> str:
        """Dotted path of the meter class: Redis when REDIS_URL is set, else the database."""
        default = (
            "paywall.meters.redis.RedisMeter"
            if self.REDIS_URL
            else "paywall.meters.database.DatabaseMeter"
        )
        return self._get("METER_BACKEND", default)

    @functools.cached_property
    def REDIS_URL(self) -> str:
        return self._get("REDIS_URL", getattr(settings, "REDIS_URL", ""))

    @functools.cached_property
    def REDIS_PREFIX(self) -> str:
        """Namespace of the meter's Redis keys (tests give each run its own)."""
        return self._get("REDIS_PREFIX", "paywall")

    @functools.cached_property
    def REDIS_TIMEOUT(self) -> float:
        """Seconds before an unreachable meter store is given up on and the page served."""
        return self._get("REDIS_TIMEOUT", 0.5)

    @functools.cached_property
    def TIME_ZONE(self) -> str:
        """The zone whose calendar month is the metering period."""
        return self._get("TIME_ZONE", settings.TIME_ZONE)

    @functools.cached_property
    def COOKIE_NAME(self) -> str:
        return self._get("COOKIE_NAME", "reader")

    @functools.cached_property
    def COOKIE_MAX_AGE(self) -> int:
        return self._get("COOKIE_MAX_AGE", 400 * 24 * 3600)

    @functools.cached_property
    def FUNNEL_TTL(self) -> int:
        """Seconds the Redis funnel counters survive if the flush task stops running."""
        return self._get("FUNNEL_TTL", 14 * 24 * 3600)

    @functools.cached_property
    def CRAWLER_CACHE_SECONDS(self) -> int:
        return self._get("CRAWLER_CACHE_SECONDS", 24 * 3600)

    @functools.cached_property
    def CRAWLER_RESOLVER(self) -> str:
        """Dotted path of the DNS resolver used to verify crawlers; tests inject a fake one."""
        return self._get("CRAWLER_RESOLVER", "paywall.crawlers.SocketResolver")

    @functools.cached_property
    def DONATION_SECRET(self) -> str:
        """Shared with the payment platform, which signs its return link with it."""
        return self._get("DONATION_SECRET", "") or settings.SECRET_KEY

    @functools.cached_property
    def SETTINGS_CACHE_SECONDS(self) -> float:
        """How long a web process keeps the editors' paywall settings before re-reading them."""
        return self._get("SETTINGS_CACHE_SECONDS", 30.0)


app_settings = _Settings()


def _forget(**kwargs):
    vars(app_settings).clear()  # what cached_property kept


setting_changed.connect(_forget, dispatch_uid="paywall-app-settings")
