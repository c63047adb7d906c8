"""Deployment checks of the project's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_trusted(app_configs, **kwargs):
    """gunicorn speaks plain HTTP: an HTTPS site has a proxy in front, and unless the app
    is told so, every reader has the proxy's address (one client for every rate limit)."""
    if settings.SECURE and not settings.TRUSTED_PROXY_COUNT:
        return [
            Warning(
                "SECURE is on but TRUSTED_PROXY_COUNT is 0: behind the TLS proxy that HTTPS "
                "needs, every request would come from the proxy's address.",
                hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of gunicorn "
                "and FORWARDED_ALLOW_IPS to the address of the nearest (docs/deployment.md).",
                id="newsroom.W001",
            )
        ]
    return []
