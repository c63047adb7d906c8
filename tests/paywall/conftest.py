import uuid

import pytest
from django.conf import settings

from paywall.meters.database import DatabaseMeter
from paywall.meters.redis import RedisMeter
from paywall.selectors import paywall_settings_forget
from tests.conftest import require_service


@pytest.fixture(autouse=True)
def _fresh_paywall_settings():
    paywall_settings_forget()
    yield
    paywall_settings_forget()


def redis_meter() -> RedisMeter:
    require_service("Redis", bool(settings.REDIS_URL), "set REDIS_URL=redis://...")
    meter = RedisMeter(settings.REDIS_URL)
    for key in meter.client.scan_iter(match="paywall:funnel*"):
        meter.client.delete(key)
    return meter


@pytest.fixture(params=["database", "redis"])
def meter(request):
    """Every meter backend, for the one contract suite; Redis needs REDIS_URL."""
    if request.param == "redis":
        meter = redis_meter()
        yield meter
        for key in meter.client.scan_iter(match="paywall:*"):
            meter.client.delete(key)
    else:
        yield DatabaseMeter()


@pytest.fixture
def reader_id():
    return uuid.uuid4().hex
