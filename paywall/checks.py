"""Start-up checks: a meter that cannot be built would fail open on every page, silently."""

from django.core.checks import Error, register
from django.utils.module_loading import import_string

from paywall.conf import app_settings


@register()
def meter_configured(app_configs, **kwargs):
    try:
        backend = import_string(app_settings.METER_BACKEND)
    except ImportError as error:
        return [Error(f"PAYWALL_METER_BACKEND cannot be imported: {error}", id="paywall.E001")]
    if backend.__name__ == "RedisMeter" and not app_settings.REDIS_URL:
        return [
            Error(
                "The Redis meter needs REDIS_URL (or PAYWALL_REDIS_URL).",
                hint="Set REDIS_URL, or leave PAYWALL_METER_BACKEND unset for the database.",
                id="paywall.E002",
            )
        ]
    return []
