import os
import uuid

import pytest
from django.conf import settings

from paywall.meters.database import DatabaseMeter
from paywall.meters.redis import RedisMeter
from paywall.selectors import paywall_settings_forget
from tests import factories
from tests.conftest import require_service

PREFIX = f"paywall-test-{os.getpid()}"


@pytest.fixture(autouse=True)
def _own_redis_namespace(settings):
    """This run's meter keys apart from the site's and other runs' (a shared Redis)."""
    settings.PAYWALL_REDIS_PREFIX = PREFIX


@pytest.fixture(autouse=True)
def _fresh_paywall_settings():
    paywall_settings_forget()
    yield
    paywall_settings_forget()


def redis_meter() -> RedisMeter:
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    meter = RedisMeter(settings.REDIS_URL)
    for key in meter.client.scan_iter(match=f"{PREFIX}:funnel*"):
        meter.client.delete(key)
    return meter


@pytest.fixture(params=["database", "redis"])
def meter(request):
    """Every meter backend, for the one contract suite; Redis needs REDIS_URL."""
    if request.param == "redis":
        meter = redis_meter()
        yield meter
        for key in meter.client.scan_iter(match=f"{PREFIX}:*"):
            meter.client.delete(key)
    else:
        yield DatabaseMeter()


@pytest.fixture
def reader_id():
    return uuid.uuid4().hex


@pytest.fixture(autouse=True)
def _clean_redis_paywall_keys():
    """Counters left in Redis by another test must not be flushed into this one's rows."""
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        for key in client.scan_iter(match=f"{PREFIX}:*"):
            client.delete(key)


@pytest.fixture
def metered_articles(db, section, editor):
    """Twelve metered articles, published through the workflow."""
    return [factories.article_published(section=section, by=editor) for _n in range(12)]


@pytest.fixture
def free_article(db, section, editor):
    return factories.article_published(section=section, by=editor, is_free=True)
