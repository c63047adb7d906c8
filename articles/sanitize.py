"""The allow-list for article bodies: what the editor can produce, and nothing else.

Everything outside it (scripts, styles, event handlers, forms, frames, unknown tags and
javascript: or data: URLs) is removed, whatever wrote the HTML. An embed is kept as the
editor stores it, a figure naming an allow-listed provider around that provider's link
(articles/embeds.py); a frame never is.
"""

import re

import nh3

from articles.embeds import PROVIDERS, embeds_normalise

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "hr",
    "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    tag_attribute_values={"figure": {"data-embed": {provider.name for provider in PROVIDERS}}},
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    # Pictures in a body sit below the lead photo: the browser fetches them when they near view.
    set_tag_attribute_values={"img": {"loading": "lazy", "decoding": "async"}},
    strip_comments=True,
)


# On nh3's output, which writes each attribute once, double-quoted, and closes every figure.
PICTURE_WITHOUT_ADDRESS = re.compile(r'<img(?![^>]*\ssrc="[^"]+")[^>]*>')
FIGURE = re.compile(r"<figure>(.*?)</figure>", re.DOTALL)
CAPTION = re.compile(r"<figcaption>(.*?)</figcaption>", re.DOTALL)


def _figure_without_picture(match: re.Match) -> str:
    """A figure is its picture: without one, its caption (if any) stays as a paragraph."""
    if "<img" in match.group(1):
        return match.group(0)
    caption = CAPTION.search(match.group(1))
    return f"<p>{caption.group(1)}</p>" if caption and caption.group(1).strip() else ""


def sanitize_body(html: str) -> str:
    """Return the article body with everything outside the allow-list removed, and no picture
    readers would see as an empty box: one whose address was not allowed (a file on the
    writer's disk, data:) or that never had one."""
    cleaned = PICTURE_WITHOUT_ADDRESS.sub("", _cleaner.clean(html or ""))
    cleaned = FIGURE.sub(_figure_without_picture, cleaned).strip()
    if "data-embed" not in cleaned:
        return cleaned
    # Made again from their links, then cleaned again: what the rule writes is kept as is.
    return _cleaner.clean(embeds_normalise(cleaned)).strip()
