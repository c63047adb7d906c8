"""The stored body as readers get it: library pictures with their renditions, embeds to play.

A body is stored as the editor wrote it, pictures as a plain <img> at the library's address
and embeds as a figure around their link. Readers get what the lead picture gets, a <picture>
with WebP and JPEG srcsets, its box size and the picture's credit, and for each embed the
click-to-play still (articles/embeds.py). Done when a stored page is rendered, never per view;
a picture's new renditions or credit move the pages that show it (Article.body_images).
"""

import html
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.body import BodyParts, article_body_parts
from articles.embeds import EMBED_MARK, embeds_render
from articles.images import ATTRIBUTE, BODY_PICTURE, body_media_name, body_media_names
from articles.models import Article, Image
from articles.renditions import picture_for

BODY_SIZES = "(min-width: 46rem) 44rem, 100vw"
# A figure of one picture and its caption, else a picture on its own, in one pass: nothing
# rendered here is looked at again.
FIGURE_OR_PICTURE = re.compile(
    r"<figure>(<img\b[^>]*>)(?:<figcaption>(.*?)</figcaption>)?</figure>|" + BODY_PICTURE.pattern,
    re.DOTALL,
)


@dataclass(frozen=True)
class ReaderBody(BodyParts):
    has_embeds: bool  # the page then loads the script that plays them


def article_reader_body(article: Article) -> ReaderBody:
    """The lead and the rest, each as readers get it (one query for the pictures of both)."""
    parts = article_body_parts(article)
    pictures = _library_pictures(parts.lead + parts.rest)
    lead, rest = body_render(parts.lead, pictures), body_render(parts.rest, pictures)
    return ReaderBody(lead=lead, rest=rest, has_embeds=EMBED_MARK in lead + rest)


def body_render(body: str, pictures: dict[str, Image] | None = None) -> SafeString:
    """Sanitised body HTML as readers get it; `pictures` maps media names to library
    pictures, their renditions prefetched (looked up when not given)."""
    if pictures is None:
        pictures = _library_pictures(body)

    def rendered(match: re.Match) -> str:
        if match.group(1) is None:
            return _picture(match.group(0), pictures)
        return _figure(match.group(1), match.group(2) or "", pictures)

    # Sanitised on save; what is added here comes from templates.
    return mark_safe(FIGURE_OR_PICTURE.sub(rendered, embeds_render(body)))  # noqa: S308


def _library_pictures(body: str) -> dict[str, Image]:
    names = body_media_names(body)
    if not names:
        return {}
    found = Image.objects.filter(file__in=names).prefetch_related("renditions")
    return {image.file.name: image for image in found}


def _figure(tag: str, caption: str, pictures: dict[str, Image]) -> str:
    """A library picture's figure, its caption followed by the library's credit."""
    image = pictures.get(body_media_name(dict(ATTRIBUTE.findall(tag))))
    if image is None:
        caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
        return f"<figure>{tag}{caption_html}</figure>"
    credit = html.escape(image.credit)
    if credit and credit not in caption:
        caption = f'{caption} <span class="credit">{credit}</span>'.lstrip()
    caption_html = f"<figcaption>{caption}</figcaption>" if caption else ""
    return f'<figure class="body-picture">{_picture(tag, pictures)}{caption_html}</figure>'


def _picture(tag: str, pictures: dict[str, Image]) -> str:
    attrs = dict(ATTRIBUTE.findall(tag))
    image = pictures.get(body_media_name(attrs))
    if image is None:
        return tag
    context = {
        "picture": picture_for(image),
        "alt": html.unescape(attrs.get("alt", "")) or image.alt_text,
        "sizes": BODY_SIZES,
        "lazy": True,
    }
    return render_to_string("includes/picture.html", context).strip()
