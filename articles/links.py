"""Absolute addresses for feeds, sitemaps, structured data and share links.

They use the configured canonical base (settings.SITE_URL) when set, else the request's own
scheme and host, so that a local run and a production box both link to themselves.
"""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext_lazy as _


def absolute_url(request, path: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """(label, address) pairs: plain links that need no script and no third-party widget."""
    return [
        (_("Email"), f"mailto:?{urlencode({'subject': title, 'body': url}, quote_via=quote)}"),
        (_("Bluesky"), f"https://bsky.app/intent/compose?{urlencode({'text': f'{title} {url}'})}"),
        (_("Facebook"), f"https://www.facebook.com/sharer/sharer.php?{urlencode({'u': url})}"),
        (
            _("LinkedIn"),
            f"https://www.linkedin.com/sharing/share-offsite/?{urlencode({'url': url})}",
        ),
        (_("X"), f"https://x.com/intent/post?{urlencode({'url': url, 'text': title})}"),
    ]
