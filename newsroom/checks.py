"""Deployment checks of the project's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def site_url_set(app_configs, **kwargs):
    """An email has no request to take the site's address from: without SITE_URL its links
    would point at the sites framework's placeholder domain, and nobody could confirm an
    alert sign-up, open the story or leave."""
    if settings.SECURE and not settings.SITE_URL:
        return [
            Error(
                "SECURE is on but SITE_URL is empty: the links in every email (alert "
                "confirmations, alerts, unsubscribe, account mails) would have no address.",
                hint="Set SITE_URL to the site's public address, e.g. https://news.example.org.",
                id="newsroom.E001",
            )
        ]
    return []
