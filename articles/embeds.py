"""Videos and posts from an allow-list of providers, shown in a story without tracking readers.

One rule decides what an address alone on its own line becomes, for the editor and for the
importers alike (`url_line_html`): an address of an allow-listed provider becomes an embed,
any other stays a link. A body stores an embed as a figure holding only the link,
`<figure data-embed="youtube"><a href="…">…</a></figure>`, which the sanitiser keeps only for
a provider's address (`embeds_normalise`). Readers get a still of our own and a play button
(`embeds_render`); the provider's frame, at its privacy-friendly address, is made by
static/js/embeds.js only when the reader clicks, so no request reaches the provider before.
Without script, or with the frame blocked, the link under it takes the reader there.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.template.loader import render_to_string
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Provider:
    name: str
    label: str
    # Whole-address patterns with one group, the content's id. Written in the syntax that
    # Python and JavaScript read alike: the editor tests addresses with the same patterns.
    patterns: tuple[str, ...]
    player: str  # the frame's address, {id} filled in
    frame_origin: str  # for the CSP's frame-src
    aspect: str  # the frame's box, "16x9", or "post" for a tall one


YOUTUBE_ID = r"([\w-]{11})"
PROVIDERS = (
    Provider(
        name="youtube",
        label="YouTube",
        patterns=(
            rf"^https://(?:www\.|m\.)?youtube\.com/watch\?(?:[^#\s]*&)?v={YOUTUBE_ID}(?:[&#][^\s]*)?$",
            rf"^https://(?:www\.)?youtube\.com/(?:shorts|embed|live)/{YOUTUBE_ID}(?:[?#][^\s]*)?$",
            rf"^https://youtu\.be/{YOUTUBE_ID}(?:[?#][^\s]*)?$",
            rf"^https://(?:www\.)?youtube-nocookie\.com/embed/{YOUTUBE_ID}(?:[?#][^\s]*)?$",
        ),
        player="https://www.youtube-nocookie.com/embed/{id}?autoplay=1",
        frame_origin="https://www.youtube-nocookie.com",
        aspect="16x9",
    ),
    Provider(
        name="vimeo",
        label="Vimeo",
        patterns=(
            r"^https://(?:www\.)?vimeo\.com/(\d{1,12})/?(?:[?#][^\s]*)?$",
            r"^https://player\.vimeo\.com/video/(\d{1,12})/?(?:[?#][^\s]*)?$",
        ),
        player="https://player.vimeo.com/video/{id}?dnt=1&autoplay=1",
        frame_origin="https://player.vimeo.com",
        aspect="16x9",
    ),
    Provider(
        name="x",
        label="X",
        patterns=(
            r"^https://(?:www\.|mobile\.)?(?:x|twitter)\.com/\w{1,15}/status/(\d{1,20})/?(?:[?#][^\s]*)?$",
        ),
        player="https://platform.twitter.com/embed/Tweet.html?id={id}&dnt=true",
        frame_origin="https://platform.twitter.com",
        aspect="post",
    ),
)
_COMPILED = [(provider, [re.compile(p) for p in provider.patterns]) for provider in PROVIDERS]


@dataclass(frozen=True)
class Embed:
    provider: Provider
    url: str  # the address as the writer gave it
    content_id: str

    @property
    def player_url(self) -> str:
        return self.provider.player.format(id=self.content_id)


def embed_for(url: str) -> Embed | None:
    """The embed an address stands for, or None when no allow-listed provider serves it."""
    url = url.strip()
    for provider, patterns in _COMPILED:
        for pattern in patterns:
            if found := pattern.match(url):
                return Embed(provider=provider, url=url, content_id=found.group(1))
    return None


def link_paragraph(url: str) -> str:
    url = html.escape(html.unescape(url))
    return f'<p><a href="{url}">{url}</a></p>'


def url_line_html(url: str) -> str:
    """What an address alone on its own line becomes: an allow-listed provider's, an embed as
    the body stores it; any other, a link."""
    url = html.unescape(url).strip()
    embed = embed_for(url)
    if embed is None:
        return link_paragraph(url)
    address = html.escape(embed.url)
    return f'<figure data-embed="{embed.provider.name}"><a href="{address}">{address}</a></figure>'


def editor_providers() -> list[dict]:
    """The allow-list as the editor's script reads it."""
    return [{"name": p.name, "label": p.label, "patterns": list(p.patterns)} for p in PROVIDERS]


def frame_origins() -> set[str]:
    return {provider.frame_origin for provider in PROVIDERS}


# Sanitised HTML (nh3): attributes double-quoted, no nested markup an embed may keep.
STORED_EMBED = re.compile(r'<figure data-embed="[a-z]+">(.*?)</figure>', re.DOTALL)
FIRST_HREF = re.compile(r'<a href="([^"]*)"')


def embeds_normalise(body: str) -> str:
    """Each stored embed made again from its link by the one rule: a figure that names a
    provider but holds something else (no link, another address) keeps only its link."""

    def normalised(match: re.Match) -> str:
        href = FIRST_HREF.search(match.group(1))
        return url_line_html(href.group(1)) if href else ""

    return STORED_EMBED.sub(normalised, body)


# As sanitize_body leaves a stored embed: its link with the rel the sanitiser adds.
SANITISED_EMBED = re.compile(
    r'<figure data-embed="[a-z]+"><a href="([^"]*)" rel="noopener noreferrer">[^<]*</a></figure>'
)


def embeds_render(body: str) -> str:
    """The body's embeds as readers get them: a still of our own, a play button that
    static/js/embeds.js brings to life, and the link for everyone else. The frame's address
    is made here from the link, never read from the stored HTML."""

    def rendered(match: re.Match) -> str:
        embed = embed_for(html.unescape(match.group(1)))
        if embed is None:
            return link_paragraph(html.unescape(match.group(1)))
        return _reader_html(embed)

    return SANITISED_EMBED.sub(rendered, body)


# In a rendered body only where there is an embed to play.
EMBED_MARK = "data-embed-player="


def _reader_html(embed: Embed) -> str:
    provider, address = embed.provider, urlsplit(embed.url)
    if provider.aspect == "post":
        title, play = _("%(provider)s post"), _("Show the %(provider)s post here")
    else:
        title, play = _("%(provider)s video"), _("Play the %(provider)s video here")
    context = {
        "embed": embed,
        "title": title % {"provider": provider.label},
        "play": play % {"provider": provider.label},
        "shown": address.netloc + address.path,
    }
    return render_to_string("includes/embed.html", context).strip()
