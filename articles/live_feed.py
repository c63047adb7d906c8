"""The feed of a live story: its updates, newest first, each linking to its anchor.

Like every feed, no text that the paywall gates: an update's headline and time only.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from articles.live_timeline import UPDATES_PAGE_SIZE, published_coverage, shown_updates
from newsroom.links import absolute_url


class LiveUpdatesFeed(Feed):
    def get_object(self, request, slug):
        coverage = published_coverage(slug=slug)
        if coverage is None:
            raise Http404
        coverage.url = absolute_url(coverage.article.get_absolute_url(), request=request)
        coverage.feed_url = absolute_url(request.path, request=request)
        return coverage

    def title(self, coverage):
        return f"{coverage.article.headline} · {settings.SITE_NAME}"

    def description(self, coverage):
        return _("Updates on a live story: %(dek)s") % {"dek": coverage.article.dek}

    def link(self, coverage):
        return coverage.url

    def feed_url(self, coverage):
        return coverage.feed_url

    def items(self, coverage):
        updates = list(shown_updates(coverage.pk)[:UPDATES_PAGE_SIZE])
        for update in updates:
            update.feed_link = f"{coverage.url}#{update.anchor}"
        return updates

    def item_title(self, update):
        return update.headline

    def item_description(self, update):
        return None

    def item_link(self, update):
        return update.feed_link

    def item_guid(self, update):
        return update.feed_link

    def item_author_name(self, update):
        return update.author.name if update.author else None

    def item_pubdate(self, update):
        return update.published_at

    def item_updateddate(self, update):
        return update.updated_at
