from datetime import date
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles import live_pages, pages, selectors, services
from articles.embeds import EMBED_MARK
from articles.models import (
    Article,
    Author,
    NewsroomPage,
    Section,
    SlugRedirect,
    Tag,
)
from articles.reader_body import body_render
from articles.search import SearchFilters, article_search
from newsroom.links import absolute_url
from newsroom.paging import CappedPaginator

PAGE_SIZE = 20
# Lists go this deep (10,000 stories); the archive beyond is reached by search and sitemaps.
MAX_PAGES = 500


@require_safe
def home(request):
    return pages.home_page(request)


@require_safe
def article_detail(request, slug):
    response = pages.article_page(request, slug) or _moved_or_404(slug)
    # The page holds per-reader prompts and, past the wall, only the lead: no shared cache
    # may keep it, and the reader's own browser checks back before reusing it (a redirect
    # too: an editor may change it). Set as they are (the response is new), which costs less
    # than the decorators' parsing and merging.
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


def _moved_or_404(slug: str) -> HttpResponse:
    moved = SlugRedirect.objects.select_related("article").filter(old_slug=slug).first()
    if moved and moved.article.is_live():
        return redirect(moved.article, permanent=True)
    raise Http404


def _listing(request, template, heading_object, stories, *, page_query="", **extra):
    """One page of `stories`; a page that does not exist is a 404, as its address is."""
    try:
        page = CappedPaginator(stories, PAGE_SIZE, max_pages=MAX_PAGES).page(
            request.GET.get("page") or 1
        )
    except InvalidPage as error:
        raise Http404 from error
    context = {"object": heading_object, "page": page, "page_query": page_query, **extra}
    return render(request, template, context)


@require_safe
def section_detail(request, slug):
    section = get_object_or_404(Section, slug=slug)
    articles = selectors.article_list_published().filter(section=section)
    live = live_pages.live_hub_html(section=section)
    return _listing(request, "articles/section_detail.html", section, articles, live_hub=live)


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = selectors.article_list_published().filter(tags=tag)
    live = live_pages.live_hub_html(tag=tag)
    return _listing(request, "articles/tag_detail.html", tag, articles, live_hub=live)


@require_safe
def author_detail(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = selectors.article_list_published().filter(authors=author)
    return _listing(request, "articles/author_detail.html", author, articles)


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@require_safe
def search(request):
    params = request.GET
    query = params.get("q", "")[:200]
    filters = SearchFilters(
        section=params.get("section", "")[:80],
        author=params.get("author", "")[:120],
        since=_day(params.get("from", "")),
        until=_day(params.get("to", "")),
    )
    kept = {
        "q": query,
        "section": filters.section,
        "author": filters.author,
        "from": filters.since.isoformat() if filters.since else "",
        "to": filters.until.isoformat() if filters.until else "",
    }
    return _listing(
        request,
        "articles/search.html",
        None,
        article_search(query, filters=filters),
        page_query=urlencode({name: value for name, value in kept.items() if value}),
        query=query,
        filters=filters,
        sections=selectors.section_navigation(),
    )


@require_safe
def page_detail(request, slug):
    page = get_object_or_404(NewsroomPage, slug=slug)
    body = body_render(page.body)
    context = {"page": page, "body": body, "has_embeds": EMBED_MARK in body}
    return render(request, "articles/newsroompage_detail.html", context)


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links; the icon lives in static."""
    return redirect(static("icons/favicon.ico"))


@require_safe
def robots_txt(request):
    sitemap = absolute_url(reverse("articles:sitemap_index"), request=request)
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /preview/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def _render_preview(request, article):
    response = pages.preview_page(request, article)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_member_required
@require_safe
def staff_preview(request, pk):
    if not request.user.has_perm("articles.view_article"):
        raise Http404
    visible = Article.objects.visible_to_staff(request.user)
    article = get_object_or_404(selectors.article_with_details(visible), pk=pk)
    return _render_preview(request, article)


@require_safe
def shared_preview(request, token):
    """A story before it goes out, for whoever holds the link. Once it is live the link leads
    to the public page, meter and all; once pulled, nowhere."""
    if not token:
        raise Http404
    queryset = selectors.article_with_details(Article.objects.all())
    article = get_object_or_404(queryset, preview_token=token)
    if article.is_live():
        return redirect(article)
    if article.status not in services.SHARED_PREVIEW_STATUSES:
        raise Http404
    return _render_preview(request, article)
