"""The sitemap index and its parts: every published article, the sections, and Google News.

Addresses use SITE_URL or the request's own scheme and host, never the Site row, so the
sitemaps are right on any host the site answers on.

Each costs the same at any archive size: the articles' part ?p=N holds the stories whose ids
fall in the Nth block of 50,000 (the protocol's most per file), read by the primary key; the
index counts blocks from the highest id and takes its lastmod from two indexed maxima; the
news sitemap holds the last 48 hours, 1,000 per file as Google reads them. Responses are kept
in the page cache under the content version, as the pages are, and for a few minutes at most
(the news window and scheduled stories move with time alone).
"""

import functools
import math
from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.core.cache import caches
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Max
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from articles.scopes import ARCHIVE, CHROME
from newsroom.links import absolute_url
from newsroom.page_cache import scopes_versions, versions_key

NEWS_WINDOW = timedelta(days=2)
NEWS_PER_FILE = 1000
CACHE_SECONDS = 300


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
        site = absolute_url("/", request=request)
        page = request.GET.get("p", "")[:8]
        part = kwargs.get("section", "index")
        versions = versions_key(scopes_versions([ARCHIVE, CHROME]))
        key = f"articles:sitemap:{versions}:{site}:{part}:{page}"
        response = caches["pages"].get(key)
        if response is None:
            response = view(request, **kwargs).render()
            if response.status_code == 200:
                caches["pages"].set(key, response, CACHE_SECONDS)
        return response

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
    template = TEMPLATES.get(section, "sitemap.xml")
    return django_sitemap(request, _sitemaps_for(request), section=section, template_name=template)
