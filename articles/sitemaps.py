"""The sitemap index and its parts: every published article, the sections, and Google News.

Addresses use SITE_URL or the request's own scheme and host, never the Site row, so the
sitemaps are right on any host the site answers on.

Each costs the same at any archive size: the articles' part ?p=N holds the stories whose ids
fall in the Nth block of ARTICLES_PER_FILE (under the protocol's 50,000), read by the primary
key as plain values and written out as text, not through a template per address; the index
counts blocks from the highest id and takes its lastmod from two indexed maxima; the news
sitemap holds the last 48 hours, 1,000 per file as Google reads them. Responses are kept in
the page cache under the versions of the scopes they show (every live story and the
sections), as the pages are, and for a few minutes at most (the news window and scheduled
stories move with time alone).
"""

import functools
import math
from datetime import timedelta
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.scopes import ARCHIVE, CHROME
from articles.stored_responses import stored_response
from newsroom.links import absolute_url

NEWS_WINDOW = timedelta(days=2)
NEWS_PER_FILE = 1000
ARTICLES_PER_FILE = 10_000
URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


class _HostSitemap(Sitemap):
    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.protocol, self.domain = parts.scheme, parts.netloc

    def get_domain(self, site=None):
        return self.domain


class IdBlocks:
    """The paginator of a sitemap whose pages are blocks of consecutive ids: no count, and
    each page an index range scan however deep it is."""

    def __init__(self, items, limit: int):
        self.items, self.limit = items, limit

    @cached_property
    def num_pages(self) -> int:
        highest = Article.objects.aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, math.ceil(highest / self.limit))

    def page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger from error
        if not 1 <= number <= self.num_pages:
            raise EmptyPage
        first = (number - 1) * self.limit + 1
        stories = self.items.filter(pk__gte=first, pk__lt=first + self.limit).order_by("pk")
        return Page(stories, number, self)


class ArticleSitemap(_HostSitemap):
    limit = ARTICLES_PER_FILE

    def items(self):
        return Article.objects.published().only("slug", "updated_at", "publish_at")

    def lastmod(self, article):
        return max(article.updated_at, article.publish_at)

    @cached_property
    def paginator(self):
        return IdBlocks(self.items(), self.limit)

    def get_latest_lastmod(self):
        latest = self.items().aggregate(Max("updated_at"), Max("publish_at"))
        return max(filter(None, latest.values()), default=None)

    def xml(self, page) -> HttpResponse:
        """The part as Django's sitemap template writes it (address and lastmod per story),
        from one query of values."""
        stories = self.paginator.page(page).object_list.values_list(
            "slug", "updated_at", "publish_at"
        )
        before, _, after = reverse("articles:detail", args=["slug"]).rpartition("slug")
        prefix = f"{self.protocol}://{self.domain}{before}"
        lines, latest = ['<?xml version="1.0" encoding="UTF-8"?>', URLSET], None
        for slug, updated_at, publish_at in stories:
            lastmod = max(updated_at, publish_at)
            latest = max(latest or lastmod, lastmod)
            day = timezone.localtime(lastmod).date().isoformat()
            lines.append(
                f"<url><loc>{escape(prefix + slug + after)}</loc><lastmod>{day}</lastmod></url>"
            )
        lines.append("</urlset>\n")
        response = HttpResponse("\n".join(lines), content_type="application/xml")
        if latest is not None:
            response.headers["Last-Modified"] = http_date(latest.timestamp())
        return response


class NewsSitemap(ArticleSitemap):
    """Google News reads only the last two days' stories, at most 1,000 per file."""

    limit = NEWS_PER_FILE

    @cached_property
    def paginator(self):
        return Paginator(self.items(), self.limit)

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .only("slug", "headline", "updated_at", "publish_at")
            .order_by("-publish_at", "-id")
        )


class SectionSitemap(_HostSitemap):
    def items(self):
        return Section.objects.all()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "news": NewsSitemap}
TEMPLATES = {"news": "sitemaps/news_sitemap.xml"}


def _sitemaps_for(request) -> dict[str, Sitemap]:
    base_url = absolute_url("/", request=request)
    return {name: sitemap_class(base_url) for name, sitemap_class in SITEMAPS.items()}


def _cached(view):
    """The response as stored for this site, part and page, under the archive's and the
    chrome's versions (every live story and every section)."""

    @functools.wraps(view)
    def cached_view(request, **kwargs):
        name = f"sitemap:{kwargs.get('section', 'index')}:{request.GET.get('p', '')[:8]}"
        return stored_response(request, name, [ARCHIVE, CHROME], lambda: view(request, **kwargs))

    return cached_view


@require_safe
@_cached
def sitemap_index(request):
    items = []
    for name, part in _sitemaps_for(request).items():
        url = absolute_url(reverse("articles:sitemap", args=[name]), request=request)
        lastmod = part.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        items += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, part.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


@require_safe
@_cached
def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404
    if section == "articles":
        try:
            return _sitemaps_for(request)[section].xml(request.GET.get("p", 1))
        except (EmptyPage, PageNotAnInteger) as error:
            raise Http404 from error
    template = TEMPLATES.get(section, "sitemap.xml")
    return django_sitemap(request, _sitemaps_for(request), section=section, template_name=template)
