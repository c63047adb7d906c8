"""Another system's stored post bodies turned into what Newsroom's editor would have saved.

WordPress keeps classic posts without paragraph tags (it adds them on display, `wpautop`),
with shortcodes and block-editor comments; Ghost keeps HTML. The result goes through the same
sanitiser as every save. Pictures are left as <img> with the source's address: the importer
swaps those for library pictures (`body_picture_sources`, `body_pictures_replace`). An address
alone on its line, an [embed] and a frame go by the editor's rule (articles/embeds.py): an
allow-listed provider's become embeds, others links.
"""

import html
import re
from dataclasses import dataclass, field

from articles.embeds import url_line_html
from articles.sanitize import sanitize_body

BLOCKS = (
    "address|article|aside|blockquote|dd|details|div|dl|dt|fieldset|figcaption|figure|"
    "footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|"
    "thead|tr|ul"
)
BLOCK_START = re.compile(rf"^\s*</?(?:{BLOCKS})\b", re.IGNORECASE)
PRESERVED = re.compile(r"<(pre|script|style)\b.*?</\1>", re.IGNORECASE | re.DOTALL)
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
CAPTION = re.compile(
    r"\[(?:caption|wp_caption)([^\]]*)\](.*?)\[/(?:caption|wp_caption)\]", re.DOTALL
)
CAPTION_PICTURE = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)
GALLERY = re.compile(r"\[gallery([^\]]*)\]")
EMBED = re.compile(r"\[embed[^\]]*\](.*?)\[/embed\]", re.DOTALL)
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"]+)[ \t]*$", re.MULTILINE)
SHORTCODE_NAME = r"[a-zA-Z_][\w-]*"
ENCLOSING = re.compile(rf"\[({SHORTCODE_NAME})(?:\s[^\]]*)?\](.*?)\[/\1\]", re.DOTALL)
SELF_CLOSING = re.compile(rf"\[({SHORTCODE_NAME})(\s+[^\]]*=[^\]]*|\s*/)?\]")
ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|(\S+))")
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
BLOCK_BOUNDARY = re.compile(rf"</?(?:{BLOCKS}|br)\b[^>]*>", re.IGNORECASE)
INLINE_TAG = re.compile(r"<[^>]*>")
# A frame's card around what the frame became, a link or an embed.
EMBED_FIGURE = re.compile(
    r"<figure\b[^>]*>\s*(<p><a [^>]*>[^<]*</a></p>|<figure data-embed=\"[a-z]+\">"
    r"<a [^>]*>[^<]*</a></figure>)\s*</figure>"
)
IFRAME = re.compile(r"<iframe\b[^>]*>(?:.*?</iframe>)?", re.IGNORECASE | re.DOTALL)
PICTURE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINKED_PICTURE = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>", re.IGNORECASE)
EMPTY_FIGURE = re.compile(r"<figure>\s*(?:<figcaption>.*?</figcaption>)?\s*</figure>", re.DOTALL)
SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
ALT = re.compile(r"""\salt\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.DOTALL)

# Shortcodes WordPress and its common plugins register with no closing tag and, often, no
# attributes. Any other bracketed word is left as text ("[sic]", "[1]").
KNOWN_SHORTCODES = frozenset(
    {"audio", "video", "playlist", "contact-form", "contact-form-7", "wpforms", "gravityform"}
)


@dataclass
class Body:
    html: str
    dropped: set[str] = field(default_factory=set)  # names of the shortcodes removed


def attributes(text: str) -> dict[str, str]:
    return {
        m[1].lower(): html.unescape(m[2] or m[3] or m[4] or "") for m in ATTRIBUTE.finditer(text)
    }


def wordpress_body(raw: str, *, attachments: dict[str, dict]) -> Body:
    """A WordPress post's stored content as sanitised body HTML. `attachments` maps an
    attachment's id to its url, alt and caption, for galleries."""
    body = Body(html="")
    text = COMMENT.sub("", raw or "").replace("\r\n", "\n").replace("\r", "\n")
    text = CAPTION.sub(_caption, text)
    text = GALLERY.sub(lambda match: _gallery(match, attachments), text)
    text = EMBED.sub(lambda match: "\n\n" + url_line_html(match.group(1)) + "\n\n", text)
    text = URL_LINE.sub(lambda match: "\n\n" + url_line_html(match.group(1)) + "\n\n", text)
    text = _drop_shortcodes(text, body.dropped)
    body.html = finish(autop(text))
    return body


def finish(markup: str) -> str:
    """Frames made embeds or links, headings demoted (the headline is the page's only h1),
    and the result sanitised."""
    markup = IFRAME.sub(lambda match: url_line_html(_attribute(SRC, match.group(0))), markup)
    markup = EMBED_FIGURE.sub(r"\1", markup)
    return sanitize_body(demote_headings(markup))


def _caption(match: re.Match) -> str:
    options = attributes(match.group(1))
    found = CAPTION_PICTURE.match(match.group(2))
    if not found:
        return match.group(2)
    caption = found.group(2).strip() or options.get("caption", "")
    picture = found.group(1)
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f"\n\n<figure>{picture}{caption_html}</figure>\n\n"


def _gallery(match: re.Match, attachments: dict[str, dict]) -> str:
    ids = [part.strip() for part in attributes(match.group(1)).get("ids", "").split(",")]
    figures = [figure(attachments[pk]) for pk in ids if pk in attachments]
    return "\n\n" + "\n".join(figures) + "\n\n"


def figure(picture: dict) -> str:
    """A library-bound picture (url, alt, caption) as the editor writes one."""
    caption = picture.get("caption", "")
    caption_html = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    src, alt = html.escape(picture["url"]), html.escape(picture.get("alt", ""))
    return f'<figure><img src="{src}" alt="{alt}">{caption_html}</figure>'


def _drop_shortcodes(text: str, dropped: set[str]) -> str:
    def enclosing(match: re.Match) -> str:
        dropped.add(match.group(1).lower())
        return match.group(2)

    def self_closing(match: re.Match) -> str:
        name = match.group(1).lower()
        if match.group(2) is None and name not in KNOWN_SHORTCODES:
            return match.group(0)
        dropped.add(name)
        return ""

    previous = None
    while previous != text:  # nested enclosing shortcodes, innermost last
        previous, text = text, ENCLOSING.sub(enclosing, text)
    return SELF_CLOSING.sub(self_closing, text)


def autop(text: str) -> str:
    """Paragraphs from blank lines and line breaks from single ones, as WordPress's wpautop
    does on display; a run that starts with a block element is left as it is, and <pre>
    keeps its lines."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = PRESERVED.sub(keep, text)
    out = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x00") or BLOCK_START.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    joined = "\n".join(out)
    return re.sub(r"\x00(\d+)\x00", lambda match: kept[int(match.group(1))], joined)


def demote_headings(markup: str) -> str:
    """With an h1 in the body every heading goes one level down; h5 and h6 become h4."""
    shift = 1 if re.search(r"<h1\b", markup, re.IGNORECASE) else 0
    return HEADING.sub(
        lambda match: f"<{match.group(1)}h{min(int(match.group(2)) + shift, 4)}", markup
    )


def plain_text(markup: str) -> str:
    """Text without tags, entities decoded and spaces collapsed: for headlines and deks."""
    text = INLINE_TAG.sub("", BLOCK_BOUNDARY.sub(" ", markup or ""))
    return " ".join(html.unescape(text).split())


def body_picture_sources(markup: str) -> dict[str, str]:
    """The addresses of the body's pictures, in order, each with its alt text."""
    sources: dict[str, str] = {}
    for tag in PICTURE.findall(markup):
        src = _attribute(SRC, tag)
        if src:
            sources.setdefault(src, _attribute(ALT, tag))
    return sources


def _attribute(pattern: re.Pattern, tag: str) -> str:
    found = pattern.search(tag)
    return html.unescape(found.group(1) or found.group(2) or "") if found else ""


def first_paragraph_text(markup: str) -> str:
    found = FIRST_PARAGRAPH.search(markup)
    return plain_text(found.group(1) if found else markup)


def body_pictures_replace(markup: str, found: dict[str, str]) -> str:
    """Each picture's address swapped for the library's (`found` maps old to new); a picture
    that could not be had is removed, with its figure if it was the figure's picture."""

    def swap(match: re.Match) -> str:
        tag = match.group(0)
        src = _attribute(SRC, tag)
        if src not in found:
            return ""
        src_match = SRC.search(tag)
        return (
            tag[: src_match.start()] + f' src="{html.escape(found[src])}"' + tag[src_match.end() :]
        )

    # A link around a picture led to its full size on the old host.
    markup = PICTURE.sub(swap, LINKED_PICTURE.sub(r"\1", markup))
    return EMPTY_FIGURE.sub("", markup)
