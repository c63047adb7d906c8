"""Absolute addresses, for feeds, sitemaps, structured data, share links and emails.

They use the configured canonical base (settings.SITE_URL) when set, else the request's own
scheme and host. An email sent outside a request (alerts, their confirmations) has only
SITE_URL, which `make run` sets and `check --deploy` requires with HTTPS on; without it such a
link falls back on the sites framework's domain.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sites.models import Site


def absolute_url(path: str, *, request=None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    if settings.SITE_URL:
        return settings.SITE_URL + path
    if request is not None:
        return request.build_absolute_uri(path)
    scheme = "https" if settings.SECURE else "http"
    return f"{scheme}://{Site.objects.get_current().domain}{path}"


def site_root(request) -> str:
    """What this request's absolute addresses begin with, without building one: the stored
    pages' keys name it on every view."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def site_url_rebased(url: str) -> str:
    """The same address on SITE_URL, whatever scheme and host it was built with."""
    parts = urlsplit(url)
    if not settings.SITE_URL or not parts.netloc:
        return url
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, parts.fragment)))
