import functools
import math
import secrets
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol
from urllib.parse import urlencode

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from accounts.selectors import request_account_facts
from articles import selectors
from articles.body import article_body_parts
from articles.caching import content_version
from articles.comments import comment_refusal, comments_closed
from articles.links import share_links
from articles.models import (
    Article,
    Author,
    NewsroomPage,
    Section,
    SlugRedirect,
    Status,
    Tag,
)
from articles.search import SearchFilters, article_search
from articles.structured_data import article_json_ld
from newsroom.links import absolute_url
from newsroom.paging import CappedPaginator

PAGE_SIZE = 20
# Lists go this deep (10,000 stories); the archive beyond is reached by search and sitemaps.
MAX_PAGES = 500
# The front is the same for every reader and is kept until it changes: an edit moves the
# content version, and it knows when it changes by time alone (Front.changes_at). It is
# rebuilt after this long anyway, for changes that send no signal (an SQL update).
FRONT_MAX_SECONDS = 600
# While one worker renders the front, the others serve the one built last.
FRONT_BUILD_SECONDS = 30
FRONT_LAST_KEY = "articles:front-html:last"
# This process's anonymous home page: (content version, unix time it goes stale, body).
_anonymous_home: dict[str, tuple[int, float, bytes]] = {}
# In the cache key: a deploy that changes PageShell must not read the old ones.
PAGE_SHELL_FORMAT = 7


# What a shared preview link shows: a story that has not gone out (a scheduled one until its
# moment).
PREVIEW_STATUSES = (Status.DRAFT, Status.IN_REVIEW, Status.SCHEDULED)


class ArticleRef(NamedTuple):
    """What the paywall and the prompts need of a stored page's article; no model instance."""

    pk: int
    is_free: bool


class Access(Protocol):
    """What the paywall (`request.paywall`) grants one reader of one article."""

    full: bool

    def prompts_html(self, *, article_id: int, path: str) -> str: ...


def reader_access(request, article: Article | ArticleRef) -> Access:
    """The one paywall decision per article view (at most one meter round trip)."""
    return request.paywall.access(article)


@require_safe
def home(request):
    if request.user.is_authenticated:
        return render(request, "articles/home.html", {"front": _front()[0]})
    # The same bytes for every anonymous reader, kept in each worker (the page is large):
    # no template, and no cache read but the content version's, once a second.
    version, now = content_version(), timezone.now().timestamp()
    page = _anonymous_home.get("page")
    if page is None or page[0] != version or now >= page[1]:
        front, stale_at = _front()
        body = render(request, "articles/home.html", {"front": front}).content
        page = _anonymous_home["page"] = (version, stale_at, body)
    return HttpResponse(page[2])


def _front() -> tuple[str, float]:
    """The front's HTML, shared by the workers through the cache, and when (unix time) it
    goes stale: rendering it takes tens of milliseconds, which no reader should wait for
    once a minute, nor every worker at once after a publication."""
    key = f"articles:front-html:{content_version()}"
    now = timezone.now().timestamp()
    stored = cache.get(key)
    if stored is not None and now < stored[1]:
        return stored
    building = f"{key}:building"
    if not cache.add(building, True, FRONT_BUILD_SECONDS):
        last = cache.get(FRONT_LAST_KEY)
        if last is not None:  # another worker is rendering it: the last one, for a second
            return last[0], now + 1
    try:
        stored = _front_build()
        cache.set(key, stored, math.ceil(stored[1] - now))
        cache.set(FRONT_LAST_KEY, stored, FRONT_MAX_SECONDS)
    finally:
        cache.delete(building)
    return stored


def _front_build() -> tuple[str, float]:
    now = timezone.now()
    front = selectors.front_page(now)
    stale_at = now.timestamp() + FRONT_MAX_SECONDS
    if front.changes_at:
        stale_at = min(stale_at, front.changes_at.timestamp())
    return render_to_string("articles/front.html", {"front": front}), stale_at


@dataclass(frozen=True)
class PageShell:
    """The article page as rendered, cut at the slots where each reader's parts go."""

    article_id: int
    is_free: bool
    slots: tuple[str, ...]
    # Encoded once when stored, not on every view. One more than the slots: before, between
    # and after them.
    parts: tuple[bytes, ...]
    rest: bytes  # the rest of the body, spliced in only for a reader with full access
    comments_closed: bool


# The slots of each kind of shell. Anonymous and registered readers each share one shell per
# article and content version; a preview is rendered for the one editor who asks.
SHELL_SLOTS = {
    "anonymous": ("rest", "prompts", "messages"),
    "registered": ("rest", "prompts", "messages", "comment_form", "alerts_form"),
    "preview": ("rest", "prompts"),
}


def _page_shell(request, article: Article, *, kind: str) -> PageShell:
    """The page cut at its slots; everything outside them is the same for every reader of
    the kind (the registered shell names nobody: the header only says "Your account")."""
    # A fresh token per render, so that no text in the story can pose as a slot.
    token = secrets.token_hex(8)
    slots = SHELL_SLOTS[kind]
    markers = {name: mark_safe(f"<!--{token}:{name}-->") for name in slots}  # noqa: S308
    is_preview = kind == "preview"
    if not is_preview:
        markers["comments"] = mark_safe(  # noqa: S308 - rendered from a template
            _comments_html(request, article, markers["messages"], markers.get("comment_form"))
        )
    url = absolute_url(article.get_absolute_url(), request=request)
    body = article_body_parts(article)
    context = {
        "article": article,
        "body": body,
        "modified_at": selectors.article_modified_at(article),
        "related": selectors.article_related(article),
        "canonical_url": url,
        "json_ld": None if is_preview else article_json_ld(request, article),
        "share_links": share_links(url, article.headline),
        "is_preview": is_preview,
        "slots": markers,
    }
    html = render_to_string("articles/article_detail.html", context, request)
    parts = []
    for name in slots:
        part, _, html = html.partition(f"<!--{token}:{name}-->")
        parts.append(part.encode())
    rest = f'<div class="article-rest">{conditional_escape(body.rest)}</div>' if body.rest else ""
    closed = not is_preview and comments_closed(article)
    parts.append(html.encode())
    return PageShell(article.pk, article.is_free, slots, tuple(parts), rest.encode(), closed)


def _article_page(
    request, article: Article | ArticleRef, shell: PageShell, access: Access
) -> HttpResponse:
    """The shell with this reader's parts; templates render only where there is something."""
    fills = _forms_html(request, article, shell) if "comment_form" in shell.slots else {}
    page = [shell.parts[0]]
    for name, part in zip(shell.slots, shell.parts[1:], strict=True):
        if name == "rest":
            html = shell.rest if access.full else b""
        else:
            html = fills[name] if name in fills else _slot_html(request, article, name, access)
            html = html.encode()
        page += [html, part]
    return HttpResponse(b"".join(page))


def _slot_html(request, article: Article | ArticleRef, name: str, access: Access) -> str:
    if name == "prompts":
        return access.prompts_html(article_id=article.pk, path=request.path)
    if not get_messages(request):
        return ""
    return render_to_string("accounts/messages.html", {}, request)


def _forms_html(request, article: ArticleRef, shell: PageShell) -> dict[str, str]:
    """A signed-in reader's comment and alerts forms, with one CSRF token (each one drawn
    costs 32 random characters)."""
    refusal = comment_refusal(
        user=request.user,
        article=article,
        verified=request_account_facts(request).email_verified,
        closed=shell.comments_closed,
    )
    token = get_token(request)
    where = (get_language(), get_script_prefix())  # what the stored HTML was rendered for
    forms = {
        "comment_form": _form_html(*where, "comment_form", article.pk, refusal),
        "alerts_form": _form_html(*where, "alerts_form", 0, None),  # names no article
    }
    return {name: html.replace(TOKEN_MARK, token) for name, html in forms.items()}


FORM_TEMPLATES = {
    "comment_form": "articles/comments/form.html",
    "alerts_form": "includes/alerts_signup.html",
}
# Rendered where the reader's CSRF token goes, then replaced: letters only, so escaping
# leaves it as it is.
TOKEN_MARK = "csrftokenmark5e0c"  # noqa: S105 - a stand-in, not a secret


@functools.lru_cache(maxsize=4096)
def _form_html(
    language: str, script_prefix: str, name: str, article_id: int, refusal: str | None
) -> str:
    """A signed-in reader's form as every such reader gets it, but for the token. The
    language and the script prefix, active while it renders, are in the key."""
    context = {
        "user": {"is_authenticated": True},  # all the templates ask of a signed-in reader
        "article": {"pk": article_id},
        "refusal": refusal,
        "csrf_token": TOKEN_MARK,
    }
    return render_to_string(FORM_TEMPLATES[name], context)


def _comments_html(request, article: Article, messages: str, form: str | None) -> str:
    """The conversation; `messages` and `form`, when given, are the slots of a shared shell."""
    context = {
        "article": article,
        "comments": article.comments.visible().select_related("user__profile"),
        # With a form slot, each reader's refusal is worked out when the slot is filled.
        "refusal": None if form else comment_refusal(user=request.user, article=article),
        "messages_slot": messages,
        "form_slot": form,
    }
    return render_to_string("articles/comments/section.html", context, request)


def _stored_shell(request, slug: str, kind: str) -> PageShell | None:
    """The kind's shell of the live article under `slug`, from this node's page cache.

    Keys carry the content version (which moves on every save, publication, go-live,
    unpublication and comment change). Only a found article is stored: a scheduled one
    comes live by query, at its moment.
    """
    version = content_version()
    site = absolute_url("/", request=request)
    key = f"articles:page:{PAGE_SHELL_FORMAT}:{kind}:{version}:{site}{slug}"
    shell = caches["pages"].get(key)
    if shell is None:
        article = selectors.article_for_reader(slug)
        if article is None:
            return None
        shell = _page_shell(request, article, kind=kind)
        caches["pages"].set(key, shell)
    return shell


@require_safe
def article_detail(request, slug):
    kind = "registered" if request.user.is_authenticated else "anonymous"
    shell = _stored_shell(request, slug, kind)
    if shell is None:
        response = _moved_or_404(slug)
    else:
        article = ArticleRef(pk=shell.article_id, is_free=shell.is_free)
        response = _article_page(request, article, shell, reader_access(request, article))
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
    return _listing(request, "articles/section_detail.html", section, articles)


@require_safe
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = selectors.article_list_published().filter(tags=tag)
    return _listing(request, "articles/tag_detail.html", tag, articles)


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
    return render(request, "articles/newsroompage_detail.html", {"page": page})


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
    shell = _page_shell(request, article, kind="preview")
    response = _article_page(request, article, shell, request.paywall.unmetered())
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
    if article.status not in PREVIEW_STATUSES:
        raise Http404
    return _render_preview(request, article)
