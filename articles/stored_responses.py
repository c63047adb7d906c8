"""Whole responses kept in the page cache: the sitemaps and the feeds.

A stored response is keyed by the site's address, what the caller names it by, and the
versions of the scopes it shows (newsroom/page_cache.py), so a change to any of them leaves it
unread. It lives STORED_SECONDS at most, since what these show also moves with time alone: a
scheduled story going live, the news sitemap's two days.
"""

from collections.abc import Callable, Iterable

from django.core.cache import caches
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse

from newsroom.links import site_root
from newsroom.page_cache import scopes_versions, versions_key

STORED_SECONDS = 300


def stored_response(
    request, name: str, scopes: Iterable[str], render: Callable[[], HttpResponse]
) -> HttpResponse:
    """The response stored under `name` and the scopes' versions, else `render`'s, stored
    when it is a 200."""
    site = site_root(request)
    key = f"articles:response:{versions_key(scopes_versions(scopes))}:{site}:{name}"
    pages = caches["pages"]
    response = pages.get(key)
    if response is None:
        response = render()
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        if response.status_code == 200:
            pages.set(key, response, STORED_SECONDS)
    return response
