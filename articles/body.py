"""The article body split into the lead, which every reader gets, and the rest.

The paywall withholds the rest from a walled reader, so the split happens once per saved
version of an article, is cached, and never runs on the request path again.
"""

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article

LEAD_PARAGRAPHS = 2
BODY_SPLIT_FORMAT = 2
# Top-level blocks that carry the story's text, each one "paragraph" of the lead. Headings,
# pictures and rules between them go with the paragraph they precede.
TEXT_BLOCKS = frozenset({"p", "ul", "ol", "blockquote", "pre"})
OTHER_BLOCKS = frozenset({"h2", "h3", "h4", "figure", "hr"})
VOID_ELEMENTS = frozenset({"br", "hr", "img", "wbr"})


@dataclass(frozen=True)
class BodyParts:
    lead: SafeString
    rest: SafeString


class _ParagraphEnds(HTMLParser):
    """Where each top-level paragraph with text ends (as (line, column, after-the-tag)).

    Text and inline markup outside any block (a body typed without paragraphs, lines parted
    only by <br>) make one paragraph, ended by the next block or the end of the body. A block
    with no text (an empty paragraph, a lone <br> or picture) is no paragraph: it goes with
    the next one, so the part kept behind the wall always has text.
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[tuple[int, int, bool]] = []
        self.loose = False  # inside a run of top-level text and inline markup
        self.text = False  # the current top-level block or run has text

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            if tag in TEXT_BLOCKS or tag in OTHER_BLOCKS:
                self._loose_end()
                self.text = False
            elif not self.loose:
                self.loose, self.text = True, False
        if tag not in VOID_ELEMENTS:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth -= 1
        if self.depth == 0 and tag in TEXT_BLOCKS and self.text:
            self.ends.append((*self.getpos(), True))

    def handle_data(self, data):
        if data.replace("\xa0", " ").strip():
            if self.depth == 0 and not self.loose:
                self.loose = True
            self.text = True

    def handle_entityref(self, name):
        self.handle_data("\xa0" if name == "nbsp" else "&")

    def handle_charref(self, name):
        self.handle_data("\xa0" if name.lower() in ("160", "xa0") else "&")

    def close(self):
        super().close()
        if self.loose and self.text:
            self.ends.append((-1, -1, False))  # the end of the body

    def _loose_end(self):
        if self.loose and self.text:
            self.ends.append((*self.getpos(), False))
        self.loose = False


def body_split(html: str) -> BodyParts:
    """Split sanitised HTML after its second top-level paragraph, always leaving at least one
    paragraph in the rest: a walled reader of a one-paragraph story gets none of its text."""
    parser = _ParagraphEnds()
    parser.feed(html)
    parser.close()
    shown = min(LEAD_PARAGRAPHS, len(parser.ends) - 1)
    if shown <= 0:
        return BodyParts(lead=mark_safe(""), rest=mark_safe(html))  # noqa: S308
    line, column, after_tag = parser.ends[shown - 1]
    # The parser counts lines at "\n" only (str.splitlines would also break at \x0b, \u2028...).
    line_starts = [0, *(match.end() for match in re.finditer("\n", html))]
    offset = line_starts[line - 1] + column
    cut = html.index(">", offset) + 1 if after_tag else offset
    return BodyParts(
        lead=mark_safe(html[:cut].strip()),  # noqa: S308 - sanitised on save
        rest=mark_safe(html[cut:].strip()),  # noqa: S308
    )


def article_body_parts(article: Article) -> BodyParts:
    """The cached split of this saved version of the article (the key moves on every save,
    and with the rule: a split kept from an older one must not be served)."""
    key = f"articles:body:{BODY_SPLIT_FORMAT}:{article.pk}:{article.updated_at.timestamp()}"
    return cache.get_or_set(key, lambda: body_split(article.body), timeout=7 * 24 * 3600)
