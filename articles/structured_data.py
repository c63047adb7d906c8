"""schema.org NewsArticle for an article page, as search engines read it.

Never the body: headline, dates, people and pictures only. A metered article always marks
its withheld part (hasPart with the .article-rest selector), whoever is reading, as Google
asks of paywalled content. A live story is a LiveBlogPosting: its coverage's start and end,
and each update on its page as a liveBlogUpdate with headline, time and author, never the
update's text.
"""

from django.conf import settings
from django.templatetags.static import static

from articles.live_timeline import LiveView
from articles.models import Article
from articles.renditions import picture_for
from articles.selectors import article_modified_at
from newsroom.links import absolute_url

WITHHELD_SELECTOR = ".article-rest"
PUBLISHER_LOGO = "icons/logo.png"


def publisher(request) -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute_url("/", request=request),
        "logo": {
            "@type": "ImageObject",
            "url": absolute_url(static(PUBLISHER_LOGO), request=request),
        },
    }


def article_json_ld(request, article: Article, *, live: LiveView | None = None) -> dict:
    url = absolute_url(article.get_absolute_url(), request=request)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.seo_description or article.dek,
        "datePublished": article.publish_at.isoformat(),
        "dateModified": max(article.publish_at, article_modified_at(article)).isoformat(),
        "articleSection": article.section.name,
        "keywords": [tag.name for tag in article.tags.all()],
        "author": [
            {
                "@type": "Person",
                "name": byline.author.name,
                "url": absolute_url(byline.author.get_absolute_url(), request=request),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher(request),
        "isAccessibleForFree": article.is_free,
    }
    if article.lead_image:
        data["image"] = [absolute_url(picture_for(article.lead_image).src, request=request)]
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    if live:
        data |= _live_json_ld(request, url, article, live)
    if not article.is_free:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": WITHHELD_SELECTOR,
        }
    return data


def _person(request, author) -> dict:
    if author is None:
        return {"@type": "NewsMediaOrganization", "name": settings.SITE_NAME}
    return {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url(), request=request),
    }


def _live_json_ld(request, url: str, article: Article, live: LiveView) -> dict:
    coverage = live.coverage
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": max(coverage.started_at, article.publish_at).isoformat(),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": update.headline,
                "datePublished": update.published_at.isoformat(),
                "url": f"{url}#{update.anchor}",
                "author": _person(request, update.author),
            }
            for update in (*live.pinned, *live.updates)
        ],
    }
    if not coverage.is_running and coverage.ended_at:
        data["coverageEndTime"] = coverage.ended_at.isoformat()
    return data
