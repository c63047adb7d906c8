"""Old addresses answered from the redirect table (`Redirect`), at no cost to found pages.

Two moments only: a response that is a 404 (nothing else answered the path), and the query
addresses WordPress gives every post on its home page (`/?p=123`), before the home page
answers. Each lookup is one query on the table's unique (path, query) index. A redirect to a
story answers only while the story is live, at its address of the moment.
"""

from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseRedirect

from articles.models import Redirect

HOME_QUERY_NAMES = ("p", "page_id", "attachment_id")


def redirect_response(path: str, query: str):
    """The redirect for this address, or None (none here, or its story is not live)."""
    queries = [query, ""] if query else [""]
    found = (
        Redirect.objects.select_related("article")
        .filter(old_path=path, query__in=queries)
        .order_by("-query")
        .first()
    )
    if found is None or (found.article_id and not found.article.is_live()):
        return None
    target = found.article.get_absolute_url() if found.article_id else found.target
    if found.code == Redirect.Code.PERMANENT:
        return HttpResponsePermanentRedirect(target)
    return HttpResponseRedirect(target)


class RedirectMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/" and request.GET:
            name = next((name for name in HOME_QUERY_NAMES if name in request.GET), None)
            if name is not None:
                return redirect_response("/", f"{name}={request.GET[name]}") or _not_found()
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        return redirect_response(request.path, request.META.get("QUERY_STRING", "")) or response


def _not_found():
    """An old post's address whose story is not here, or not live yet: the site's 404 page."""
    raise Http404
