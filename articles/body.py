"""The article body split into the lead, which every reader gets, and the rest.

The paywall withholds the rest from a walled reader, so the split happens once per saved
version of an article, is cached, and never runs on the request path again.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

LEAD_PARAGRAPHS = 2
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr"})


@dataclass(frozen=True)
class BodyParts:
    lead: SafeString
    rest: SafeString


class _LeadEnd(HTMLParser):
    """Finds where the LEAD_PARAGRAPHS-th top-level paragraph closes."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.paragraphs = 0
        self.end = None

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth -= 1
        if tag == "p" and self.depth == 0 and self.end is None:
            self.paragraphs += 1
            if self.paragraphs == LEAD_PARAGRAPHS:
                self.end = self.getpos()


def body_split(html: str) -> BodyParts:
    """Split sanitised HTML after its second top-level <p>; all of it is lead if shorter."""
    parser = _LeadEnd()
    parser.feed(html)
    parser.close()
    if parser.end is None:
        return BodyParts(lead=mark_safe(html), rest=mark_safe(""))  # noqa: S308
    line, column = parser.end
    offset = sum(len(text) for text in html.splitlines(keepends=True)[: line - 1]) + column
    cut = html.index(">", offset) + 1
    return BodyParts(
        lead=mark_safe(html[:cut].strip()),  # noqa: S308 - sanitised on save
        rest=mark_safe(html[cut:].strip()),  # noqa: S308
    )


def article_body_parts(article: Article) -> BodyParts:
    """The cached split of this saved version of the article (the key moves on every save)."""
    key = f"articles:body:{article.pk}:{article.updated_at.timestamp()}"
    return cache.get_or_set(key, lambda: body_split(article.body), timeout=7 * 24 * 3600)
