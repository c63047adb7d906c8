from paywall.checks import meter_configured


def test_the_default_meter_passes(settings):
    assert meter_configured(None) == []


def test_a_meter_that_cannot_be_imported_is_an_error(settings):
    settings.PAYWALL_METER_BACKEND = "paywall.meters.nowhere.Meter"
    assert [e.id for e in meter_configured(None)] == ["paywall.E001"]


def test_the_redis_meter_without_redis_is_an_error(settings):
    settings.PAYWALL_METER_BACKEND = "paywall.meters.redis.RedisMeter"
    settings.PAYWALL_REDIS_URL = ""
    settings.REDIS_URL = ""
    assert [e.id for e in meter_configured(None)] == ["paywall.E002"]
