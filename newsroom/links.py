"""Absolute addresses, for feeds, sitemaps, structured data, share links and emails.

They use the configured canonical base (settings.SITE_URL) when set, else the request's own
scheme and host, so that a local run and a production box both link to themselves. An email
has no request: it falls back on the site's domain.
"""

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
