"""Resized copies of uploaded pictures in WebP and JPEG, and how pages pick among them.

Renditions are made off the request path (a Celery task queued when a picture is saved) or
synchronously by seed_demo. Until they exist, pages serve the cleaned original.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage

from articles.models import Image, Rendition
from articles.scopes import picture_stories, stories_changed
from articles.tasks import image_renditions_task

WIDTHS = (320, 640, 960, 1280, 1600)
# The size a page asks for when it has no srcset-aware choice to make (og:image, fallbacks).
DEFAULT_WIDTH = 1280
ENCODERS = {
    Rendition.Format.WEBP: ("WEBP", {"quality": 80, "method": 4}),
    Rendition.Format.JPEG: ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}


def rendition_widths(original_width: int) -> list[int]:
    """The widths worth making for a picture: never upscaled, at least one."""
    largest = min(original_width, WIDTHS[-1])
    return [*(width for width in WIDTHS if width < largest), largest]


def _encode(picture: PILImage.Image, width: int, rendition_format: str) -> tuple[bytes, int]:
    height = max(1, round(picture.height * width / picture.width))
    resized = picture.resize((width, height), PILImage.Resampling.LANCZOS)
    pil_format, options = ENCODERS[rendition_format]
    if pil_format == "JPEG" and resized.mode != "RGB":
        flat = PILImage.new("RGB", resized.size, "white")
        flat.paste(resized, mask=resized.getchannel("A") if "A" in resized.getbands() else None)
        resized = flat
    out = io.BytesIO()
    resized.save(out, pil_format, **options)
    return out.getvalue(), height


def image_renditions_create(*, image: Image) -> int:
    """Make the renditions this picture is missing; returns how many were made. Idempotent."""
    have = set(image.renditions.values_list("format", "width"))
    wanted = [
        (rendition_format, width)
        for rendition_format in ENCODERS
        for width in rendition_widths(image.width)
        if (rendition_format, width) not in have
    ]
    if not wanted:
        return 0
    with image.file.open("rb") as source, PILImage.open(source) as opened:
        picture = opened.convert("RGBA" if "A" in opened.getbands() else "RGB")
    stem = image.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    made = 0
    try:
        for rendition_format, width in wanted:
            made += _rendition_make(image, picture, stem, rendition_format, width)
    finally:
        if made:  # stored pages were rendered without these sizes, even if a later one failed
            stories_changed(picture_stories(image.pk))
    return made


def _rendition_make(image: Image, picture, stem: str, rendition_format: str, width: int) -> int:
    """1 if this size was made and saved, 0 if a concurrent run made it first."""
    data, height = _encode(picture, width, rendition_format)
    rendition = Rendition(image=image, format=rendition_format, width=width, height=height)
    extension = "jpg" if rendition_format == Rendition.Format.JPEG else "webp"
    rendition.file.save(f"{stem}-{width}.{extension}", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        rendition.file.delete(save=False)
        return 0
    return 1


@transaction.atomic
def image_renditions_refresh(*, image: Image) -> None:
    """A new or replaced picture: drop stale renditions and queue new ones after commit."""
    for rendition in image.renditions.all():
        rendition.file.delete(save=False)
        rendition.delete()
    transaction.on_commit(lambda: image_renditions_task.delay(image.pk))


@dataclass(frozen=True)
class Picture:
    """What an <img> (inside a <picture>) needs: a fallback src, srcsets and the box size."""

    image: Image
    src: str
    width: int
    height: int
    jpeg_srcset: str
    webp_srcset: str


def picture_for(image: Image) -> Picture:
    """Reads image.renditions.all(), so prefetch it: lists stay at a constant query count."""
    renditions = sorted(image.renditions.all(), key=lambda rendition: rendition.width)
    by_format = {
        name: [r for r in renditions if r.format == name] for name in Rendition.Format.values
    }

    def srcset(items):
        return ", ".join(f"{r.file.url} {r.width}w" for r in items)

    jpegs = by_format[Rendition.Format.JPEG]
    fallback = next((r for r in jpegs if r.width >= DEFAULT_WIDTH), jpegs[-1] if jpegs else None)
    return Picture(
        image=image,
        src=fallback.file.url if fallback else image.file.url,
        width=image.width,
        height=image.height,
        jpeg_srcset=srcset(jpegs),
        webp_srcset=srcset(by_format[Rendition.Format.WEBP]),
    )
