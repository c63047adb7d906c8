"""Meter backends: one contract (base.py), a Redis and a database implementation."""

from django.utils.module_loading import import_string

from paywall.conf import app_settings
from paywall.meters.base import MeterBase


def meter_load() -> MeterBase:
    """A new instance of the configured backend; callers keep it for the process."""
    return import_string(app_settings.METER_BACKEND)()
