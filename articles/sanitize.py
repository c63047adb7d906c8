"""The allow-list for article bodies: what the editor can produce, and nothing else.

Everything outside it (scripts, styles, event handlers, forms, frames, unknown tags and
javascript: or data: URLs) is removed, whatever wrote the HTML. An embed is kept as the
editor stores it, a figure naming an allow-listed provider around that provider's link
(articles/embeds.py); a frame never is.
"""

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


def sanitize_body(html: str) -> str:
    """Return the article body with everything outside the allow-list removed."""
    cleaned = _cleaner.clean(html or "").strip()
    if "data-embed" not in cleaned:
        return cleaned
    # Made again from their links, then cleaned again: what the rule writes is kept as is.
    return _cleaner.clean(embeds_normalise(cleaned)).strip()
