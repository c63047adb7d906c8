"""RSS 2.0 and Atom feeds of the latest stories, site-wide and per section.

Items carry the dek as their summary and never the body, so a metered story's text does not
leave through a feed reader. A feed is stored whole (articles.stored_responses) under the
scopes it shows: the site's feed every live story (the archive list's scope), a section's feed
that section's list; both the chrome (the sections' names).
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import ArticleAuthor, Section
from articles.scopes import ARCHIVE, CHROME, section_list_scope
from articles.selectors import article_list_published
from articles.stored_responses import stored_response
from newsroom.links import absolute_url

FEED_SIZE = 20


@dataclass(frozen=True)
class FeedScope:
    request: object
    section: Section | None


class RssFeed(Feed):
    """Absolute links are built here from the request (or SITE_URL), not from the Site row."""

    url_names = ("articles:feed", "articles:section_feed")

    def __call__(self, request, *args, slug=None, **kwargs):
        def render():
            return super(RssFeed, self).__call__(request, *args, slug=slug, **kwargs)

        if slug is None:
            scopes = [ARCHIVE, CHROME]
        else:
            section = Section.objects.filter(slug=slug).values_list("pk", flat=True).first()
            if section is None:
                return render()
            scopes = [section_list_scope(section), CHROME]
        return stored_response(request, f"feed:{type(self).__name__}:{slug}", scopes, render)

    def get_object(self, request, slug=None):
        section = get_object_or_404(Section, slug=slug) if slug else None
        return FeedScope(request=request, section=section)

    def title(self, scope):
        if scope.section:
            return f"{scope.section.name} · {settings.SITE_NAME}"
        return settings.SITE_NAME

    def description(self, scope):
        if scope.section:
            return _("The latest stories in %(section)s.") % {"section": scope.section.name}
        return _("The latest stories from the newsroom.")

    def link(self, scope):
        path = scope.section.get_absolute_url() if scope.section else reverse("articles:home")
        return absolute_url(path, request=scope.request)

    def feed_url(self, scope):
        site_wide, per_section = self.url_names
        if scope.section:
            return absolute_url(
                reverse(per_section, args=[scope.section.slug]), request=scope.request
            )
        return absolute_url(reverse(site_wide), request=scope.request)

    def items(self, scope):
        articles = article_list_published().prefetch_related(
            Prefetch("bylines", queryset=ArticleAuthor.objects.select_related("author"))
        )
        if scope.section:
            articles = articles.filter(section=scope.section)
        articles = list(articles[:FEED_SIZE])
        for article in articles:
            article.feed_link = absolute_url(article.get_absolute_url(), request=scope.request)
        return articles

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        return article.dek

    def item_link(self, article):
        return article.feed_link

    def item_author_name(self, article):
        return ", ".join(byline.author.name for byline in article.bylines.all()) or None

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return max(article.updated_at, article.publish_at)

    def item_categories(self, article):
        return [article.section.name]


class AtomFeed(RssFeed):
    feed_type = Atom1Feed
    url_names = ("articles:feed_atom", "articles:section_feed_atom")
    subtitle = RssFeed.description
