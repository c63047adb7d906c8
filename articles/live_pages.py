"""What readers get of a live story: its timeline on the stored article page, the answer to
"what is new since N" that open pages ask for, the pages of older updates and the running
story's lead on its hub.

The timeline is part of the story's gated text: on the article page it goes with the rest of
the body, which a walled reader never gets; key points and update headlines are public, as a
story's headline is. The new-updates answer is stored in this node's page cache under the
version of the story's scope and the `since` asked for, in two forms, with the bodies and
without: a poll costs a version read (trusted for a second), a file read and, for an
anonymous reader, one meter look-up that counts nothing (`request.paywall.may_read`); never
a page render, nor a database query while stored. A new, edited or deleted update moves the
story's scope (articles/live_services.py), and with it every stored answer.
"""

import json
from dataclasses import dataclass

from django.core.cache import caches
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.live_timeline import (
    KEY_POINTS,
    UPDATES_PAGE_SIZE,
    published_coverage,
    shown_updates,
    update_html,
)
from articles.models import Article, LiveCoverage, LiveUpdate
from articles.pages import ArticleRef, reader_access
from articles.scopes import LIVE_HUBS, section_list_scope, story_scope, tag_list_scope
from newsroom.page_cache import fragment, scopes_versions, versions_key

HUB_LATEST = 3
# In the stored answers' keys: a deploy that changes the answer must not read the old ones.
ANSWER_FORMAT = 1


def _answers_build(article_id: int, since: int) -> tuple[int, ArticleRef, bytes, bytes] | None:
    """The `since` answered (at most the story's version), the answer for readers who may
    read the story, and the one for those who may not: its version and whether it still
    runs, without a word of any update."""
    coverage = published_coverage(pk=article_id)
    if coverage is None:
        return None
    article = coverage.article
    since = min(since, coverage.sequence)
    common = {"version": coverage.sequence, "running": coverage.is_running}
    changed = list(
        LiveUpdate.objects.filter(coverage=coverage, changed_in__gt=since)
        .select_related("author", "image")
        .prefetch_related("image__renditions")
        .order_by("published_at", "pk")
    )
    if len(changed) > UPDATES_PAGE_SIZE:
        full = {**common, "full": True, "reload": True}
    else:
        shown = [u for u in changed if u.state == LiveUpdate.State.PUBLISHED]
        full = {
            **common,
            "full": True,
            "updates": [
                {
                    "id": update.pk,
                    "pinned": update.is_pinned,
                    "published": update.published_at.isoformat(),
                    "html": update_html(update),
                }
                for update in shown
            ],
            "removed": [u.pk for u in changed if u.state != LiveUpdate.State.PUBLISHED],
        }
        if changed:
            points = list(shown_updates(coverage.pk).filter(is_key_point=True)[:KEY_POINTS])
            full["key_points"] = render_to_string(
                "articles/live/key_points.html", {"key_points": points}
            )
    public = {**common, "full": False}
    ref = ArticleRef(pk=article.pk, is_free=article.is_free)
    return since, ref, json.dumps(full).encode(), json.dumps(public).encode()


def live_new_answer(request, article_id: int) -> HttpResponse:
    """What is new on a live story since the version the page has (`?since=`): updates shown
    or edited since (oldest first), those taken off the page, the key points when anything
    changed, or `reload` when too much did. Nothing of any update for a reader who may not
    read the story."""
    try:
        since = max(0, int(request.GET.get("since", "0")))
    except ValueError:
        since = 0
    versions = scopes_versions([story_scope(article_id)])
    key = f"articles:live-new:{ANSWER_FORMAT}:{article_id}:{versions_key(versions)}:{since}"
    pages = caches["pages"]
    stored = pages.get(key)
    if stored is None:
        stored = _answers_build(article_id, since)
        if stored is None:  # not stored: a scheduled story comes live by query, at its moment
            raise Http404
        if stored[0] == since:  # a `since` past the version is no page's: stored never
            pages.set(key, stored[1:])
        stored = stored[1:]
    ref, full, public = stored
    response = HttpResponse(
        full if request.paywall.may_read(ref) else public, content_type="application/json"
    )
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


def live_updates_page(request, slug: str) -> HttpResponse:
    """Older updates, a page at a time (page 1 is the story's own page): counted by the
    meter as the story is, once per period; a walled reader gets the wall and no update."""
    coverage = published_coverage(slug=slug)
    if coverage is None:
        raise Http404
    article = coverage.article
    updates = shown_updates(coverage.pk).filter(is_pinned=False)
    try:
        page = Paginator(updates, UPDATES_PAGE_SIZE).page(request.GET.get("page") or 2)
    except InvalidPage as error:
        raise Http404 from error
    access = reader_access(request, article)
    context = {
        "article": article,
        "coverage": coverage,
        "number": page.number,
        "page": page if access.full else None,
        "prompts": mark_safe(  # noqa: S308 - rendered from the paywall's templates
            access.prompts_html(article_id=article.pk, path=request.path)
        ),
    }
    response = render(request, "articles/live/updates_page.html", context)
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie"
    return response


@dataclass(frozen=True)
class HubLead:
    """A running story on top of its hub: the section or topic it is filed under."""

    article: Article
    key_points: list[LiveUpdate]
    latest: list[LiveUpdate]


def _hub_lead(filed_under: dict) -> HubLead | None:
    coverage = (
        LiveCoverage.objects.select_related("article")
        .filter(
            is_running=True,
            article__in=Article.objects.published().filter(**filed_under),
        )
        .order_by("-article__publish_at")
        .first()
    )
    if coverage is None:
        return None
    shown = (
        LiveUpdate.objects.shown().filter(coverage=coverage).only("pk", "headline", "published_at")
    )
    return HubLead(
        article=coverage.article,
        key_points=list(shown.filter(is_key_point=True)[:KEY_POINTS]),
        latest=list(shown[:HUB_LATEST]),
    )


def live_hub_html(*, section=None, tag=None) -> str:
    """The newest running live story in a section or topic, for the top of its page; stored
    under the versions of every live story's updates and of the hub's list (a story joining
    or leaving it), so that a hub's page asks the database nothing more for it."""
    if section is not None:
        filed_under, scope = {"section": section}, section_list_scope(section.pk)
    else:
        filed_under, scope = {"tags": tag}, tag_list_scope(tag.pk)
    return fragment(
        f"articles:live-hub:{ANSWER_FORMAT}:{scope}",
        scopes_versions([LIVE_HUBS, scope]),
        lambda: render_to_string("articles/live/hub_lead.html", {"live": _hub_lead(filed_under)}),
    )
