"""Addresses that moved: each old one answers with a permanent redirect to its new place.

The redirect is a 308, which keeps the method and the body: a comment posted from a page
that still has the old form, or an alert confirmed from an old admin tab, is not lost.
"""

from django.http import HttpResponsePermanentRedirect
from django.urls import re_path


def _moved(new_prefix: str):
    def view(request, rest: str = ""):
        location = new_prefix + rest
        if request.META.get("QUERY_STRING"):
            location += "?" + request.META["QUERY_STRING"]
        return HttpResponsePermanentRedirect(location, preserve_request=True)

    return view


def moved(old_prefix: str, new_prefix: str):
    """A URL pattern that sends `old_prefix<rest>` to `new_prefix<rest>` (both below the
    root, without their leading slash in `old_prefix`)."""
    return re_path(rf"^{old_prefix}(?P<rest>.*)$", _moved(new_prefix))
