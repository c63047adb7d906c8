"""The reader's article page and front as stored pages (newsroom/page_cache.py explains the
model): what each shows, which scopes it follows, and how a reader's parts fill its slots."""

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from accounts.selectors import request_account_facts
from articles import selectors
from articles.comments import comment_refusal, comments_closed
from articles.links import share_links
from articles.live_timeline import live_timeline_html, live_view
from articles.models import Article
from articles.reader_body import article_reader_body
from articles.scopes import (
    CHROME,
    FRONT,
    FRONT_IDS_KEY,
    section_list_scope,
    story_scope,
    tag_list_scope,
    thread_scope,
)
from articles.structured_data import article_json_ld
from newsroom.links import absolute_url, site_root
from newsroom.page_cache import (
    PageShell,
    scopes_versions,
    shell_cut,
    stored_shell,
    versions_key,
)

# The front is the same for every reader and is kept until it changes: an edit moves its
# list's version, and it knows when it changes by time alone (Front.changes_at). It is
# rebuilt after this long anyway, for changes that send no signal (an SQL update).
FRONT_MAX_SECONDS = 600
# While one worker renders the front, the others serve the one built last.
FRONT_BUILD_SECONDS = 30
FRONT_LAST_KEY = "articles:front-html:last"
FRONT_SCOPES = (FRONT, CHROME)
# This process's anonymous home page: (versions key, unix time it goes stale, body).
_anonymous_home: dict[str, tuple[str, float, bytes]] = {}
# In the cache keys: a deploy that changes what is stored must not read the old entries.
PAGE_SHELL_FORMAT = 11


class ArticleRef(NamedTuple):
    """What the paywall and the prompts need of a stored page's article; no model instance."""

    pk: int
    is_free: bool


class Access(Protocol):
    """What the paywall (`request.paywall`) grants one reader of one article."""

    full: bool

    def prompts_html(self, *, article_id: int, path: str) -> str: ...


@dataclass(frozen=True)
class ArticleFacts:
    """What a view needs of a stored article page's story, without asking the database."""

    article: ArticleRef
    rest: bytes  # the rest of the body, spliced in only for a reader with full access
    comments_closed: bool
    section_id: int
    tag_ids: tuple[int, ...]


# The slots of each kind of shell, in page order. Anonymous and registered readers each share
# one shell per article; a preview is rendered for the one editor who asks. Staff links are a
# slot of the signed-in shells only: an anonymous reader is never staff, so the anonymous shell
# has no slot for them and costs nothing more.
SHELL_SLOTS = {
    "anonymous": ("rest", "prompts", "messages", "related"),
    "registered": (
        "staff",
        "rest",
        "prompts",
        "messages",
        "comment_form",
        "related",
        "alerts_form",
    ),
    "preview": ("staff", "rest", "prompts", "related"),
}

# Counted for the tests: editing one story must render no other story's shell.
shells_rendered = {"count": 0}


def reader_access(request, article: Article | ArticleRef) -> Access:
    """The one paywall decision per article view (at most one meter round trip)."""
    return request.paywall.access(article)


def _article_scopes(article: Article) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The shell shows the story, its thread and the chrome; its related list is drawn from
    the story's section and topics."""
    tags = tuple(tag_list_scope(tag.pk) for tag in article.tags.all())
    shell = (story_scope(article.pk), thread_scope(article.pk), CHROME)
    return shell, (section_list_scope(article.section_id), *tags)


def _page_shell(request, article: Article, *, kind: str) -> PageShell:
    """The page cut at its slots; everything outside them is the same for every reader of
    the kind (the registered shell names nobody: the header only says "Your account")."""
    shells_rendered["count"] += 1
    is_preview = kind == "preview"
    url = absolute_url(article.get_absolute_url(), request=request)
    body = article_reader_body(article)
    live = live_view(article)

    def page(markers) -> str:
        if not is_preview:
            markers["comments"] = mark_safe(  # noqa: S308 - rendered from a template
                _comments_html(request, article, markers["messages"], markers.get("comment_form"))
            )
        context = {
            "article": article,
            "body": body,
            "modified_at": selectors.article_modified_at(article),
            "canonical_url": url,
            "json_ld": None if is_preview else article_json_ld(request, article, live=live),
            "live": live,
            "share_links": share_links(url, article.headline),
            "is_preview": is_preview,
            "slots": markers,
        }
        return render_to_string("articles/article_detail.html", context, request)

    # A live story's timeline is gated with the rest of its body.
    timeline = live_timeline_html(request, article, live) if live else ""
    rest = body.rest + conditional_escape(timeline)
    rest = f'<div class="article-rest">{conditional_escape(rest)}</div>' if rest else ""
    facts = ArticleFacts(
        article=ArticleRef(pk=article.pk, is_free=article.is_free),
        rest=rest.encode(),
        comments_closed=not is_preview and comments_closed(article),
        section_id=article.section_id,
        tag_ids=tuple(tag.pk for tag in article.tags.all()),
    )
    return shell_cut(page, SHELL_SLOTS[kind], facts=facts)


def _related_html(facts: ArticleFacts) -> str:
    related = selectors.article_related(
        article_id=facts.article.pk, section_id=facts.section_id, tag_ids=facts.tag_ids
    )
    return render_to_string("articles/related.html", {"related": related})


def _article_page(request, shell: PageShell, access: Access, related: bytes) -> HttpResponse:
    """The shell with this reader's parts; templates render only where there is something."""
    facts = shell.facts
    fills = _forms_html(request, facts) if "comment_form" in shell.slots else {}
    fills |= {"rest": facts.rest if access.full else b"", "related": related}
    for name in shell.slots:
        if name not in fills:
            fills[name] = _slot_html(request, facts.article, name, access).encode()
    return HttpResponse(shell.join(fills))


def _slot_html(request, article: ArticleRef, name: str, access: Access) -> str:
    if name == "prompts":
        return access.prompts_html(article_id=article.pk, path=request.path)
    if name == "staff":
        return _staff_html(request.user, article.pk)
    if not get_messages(request):
        return ""
    return render_to_string("accounts/messages.html", {}, request)


def _staff_html(user, article_id: int) -> str:
    """The header's links to the admin, and to this story's form for who may change it."""
    if not user.is_staff:
        return ""
    edit_url = None
    if user.has_perm("articles.change_article"):
        edit_url = reverse("admin:articles_article_change", args=[article_id])
    return render_to_string("includes/staff_links.html", {"edit_url": edit_url})


def _forms_html(request, facts: ArticleFacts) -> dict[str, bytes]:
    """A signed-in reader's comment and alerts forms, with one CSRF token (each one drawn
    costs 32 random characters)."""
    refusal = comment_refusal(
        user=request.user,
        article=facts.article,
        verified=request_account_facts(request).email_verified,
        closed=facts.comments_closed,
    )
    token = get_token(request)
    where = (get_language(), get_script_prefix())  # what the stored HTML was rendered for
    forms = {
        "comment_form": _form_html(*where, "comment_form", facts.article.pk, refusal),
        "alerts_form": _form_html(*where, "alerts_form", 0, None),  # names no article
    }
    return {name: html.replace(TOKEN_MARK, token).encode() for name, html in forms.items()}


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


def article_page(request, slug: str) -> HttpResponse | None:
    """The live article under `slug` for this reader, from the stored shell of their kind and
    the stored related list; None when there is no such article. Only a found article is
    stored: a scheduled one comes live by query, at its moment."""
    kind = "registered" if request.user.is_authenticated else "anonymous"
    site = site_root(request)
    shell, joined = stored_shell(
        f"articles:page:{PAGE_SHELL_FORMAT}:{kind}:{site}/{slug}",
        load=lambda: selectors.article_for_reader(slug),
        scopes=_article_scopes,
        render=lambda article: _page_shell(request, article, kind=kind),
        fragments=_article_fragments,
    )
    if shell is None:
        return None
    access = reader_access(request, shell.facts.article)
    return _article_page(request, shell, access, joined["related"])


def _article_fragments(shell: PageShell) -> dict:
    facts = shell.facts
    key = f"articles:related:{PAGE_SHELL_FORMAT}:{facts.article.pk}"
    return {"related": (key, lambda: _related_html(facts))}


def preview_page(request, article: Article) -> HttpResponse:
    shell = _page_shell(request, article, kind="preview")
    related = _related_html(shell.facts).encode()
    return _article_page(request, shell, request.paywall.unmetered(), related)


def home_page(request) -> HttpResponse:
    if request.user.is_authenticated:
        return render(request, "articles/home.html", {"front": _front()[0]})
    # The same bytes for every anonymous reader, kept in each worker (the page is large):
    # no template, and no cache read but the versions', once a second.
    versions, now = versions_key(scopes_versions(FRONT_SCOPES)), timezone.now().timestamp()
    page = _anonymous_home.get("page")
    if page is None or page[0] != versions or now >= page[1]:
        front, stale_at = _front()
        body = render(request, "articles/home.html", {"front": front}).content
        page = _anonymous_home["page"] = (versions, stale_at, body)
    return HttpResponse(page[2])


def _front() -> tuple[str, float]:
    """The front's HTML, shared by the workers through the cache, and when (unix time) it
    goes stale: rendering it takes tens of milliseconds, which no reader should wait for
    once a minute, nor every worker at once after a publication."""
    key = f"articles:front-html:{PAGE_SHELL_FORMAT}:{versions_key(scopes_versions(FRONT_SCOPES))}"
    now = timezone.now().timestamp()
    stored = cache.get(key)
    if stored is not None and now < stored[1]:
        return stored
    building = f"{key}:building"
    took_lock = cache.add(building, True, FRONT_BUILD_SECONDS)
    if not took_lock:
        last = cache.get(FRONT_LAST_KEY)
        if last is not None:  # another worker is rendering it: the last one, for a second
            return last[0], now + 1
    try:
        stored = _front_build()
        cache.set(key, stored, math.ceil(stored[1] - now))
        cache.set(FRONT_LAST_KEY, stored, FRONT_MAX_SECONDS)
    finally:
        if took_lock:  # never the lock of the worker that is building it
            cache.delete(building)
    return stored


def _front_build() -> tuple[str, float]:
    now = timezone.now()
    front = selectors.front_page(now)
    stale_at = now.timestamp() + FRONT_MAX_SECONDS
    if front.changes_at:
        stale_at = min(stale_at, front.changes_at.timestamp())
    # Kept as long as any front built from it may be served.
    cache.set(FRONT_IDS_KEY, front.article_ids(), 2 * FRONT_MAX_SECONDS)
    return render_to_string("articles/front.html", {"front": front}), stale_at
