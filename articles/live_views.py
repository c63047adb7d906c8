"""A live story's own addresses: what is new since the page's version, the older updates."""

from django.views.decorators.http import require_safe

from articles import live_pages


@require_safe
def new_since(request, article_id):
    return live_pages.live_new_answer(request, article_id)


@require_safe
def older_updates(request, slug):
    return live_pages.live_updates_page(request, slug)
