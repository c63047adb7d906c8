"""The sitemap index and its parts: every published article, the sections, and Google News.

Addresses use SITE_URL or the request's own scheme and host, never the Site row, so the
sitemaps are right on any host the site answers on.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.models import Article, Section
from newsroom.links import absolute_url

NEWS_WINDOW = timedelta(days=2)


class _HostSitemap(Sitemap):
    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.protocol, self.domain = parts.scheme, parts.netloc

    def get_domain(self, site=None):
        return self.domain


class ArticleSitemap(_HostSitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at", "publish_at")

    def lastmod(self, article):
        return max(article.updated_at, article.publish_at)


class NewsSitemap(ArticleSitemap):
    """Google News reads only the last two days' stories."""

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(publish_at__gte=since)
            .only("slug", "headline", "updated_at", "publish_at")
        )


class SectionSitemap(_HostSitemap):
    def items(self):
        return Section.objects.all()


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "news": NewsSitemap}
TEMPLATES = {"news": "sitemaps/news_sitemap.xml"}


def _sitemaps_for(request) -> dict[str, Sitemap]:
    base_url = absolute_url("/", request=request)
    return {name: sitemap_class(base_url) for name, sitemap_class in SITEMAPS.items()}


@require_safe
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
def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404
    template = TEMPLATES.get(section, "sitemap.xml")
    return django_sitemap(request, _sitemaps_for(request), section=section, template_name=template)
