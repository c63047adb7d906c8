"""Checks and cleans uploaded pictures before anything is stored.

Only real JPEG, PNG, WebP and GIF files pass (never SVG, whatever the name says). Size and
pixel count are limited before decoding, so a decompression bomb costs nothing. Every
picture is written again from its pixels, so nothing else in the file is kept: metadata such
as camera location, GIF comments and extensions, bytes appended after the image data. A
photo is turned upright from its EXIF orientation first; an animated GIF keeps its frames,
their timing and its looping.
"""

import html
import io
import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.html import escape
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, ImageSequence, UnidentifiedImageError

from articles.models import Article, Image

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}


def image_prepare_upload(upload) -> ContentFile:
    """Return a cleaned copy of an uploaded picture, or raise ValidationError."""
    if upload.size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            _("This file is %(mb)d MB; pictures may be at most %(max)d MB.")
            % {"mb": upload.size // 2**20, "max": settings.IMAGE_MAX_BYTES // 2**20}
        )
    upload.seek(0)
    data = upload.read()
    try:
        picture = PILImage.open(io.BytesIO(data), formats=list(ACCEPTED_FORMATS))
    except UnidentifiedImageError as exc:
        raise ValidationError(_("This is not a JPEG, PNG, WebP or GIF picture.")) from exc
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError) as exc:
        raise ValidationError(_("This picture is damaged, incomplete or too large.")) from exc
    width, height = picture.size
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("This picture is %(w)d × %(h)d pixels, more than the %(max)d million allowed.")
            % {"w": width, "h": height, "max": settings.IMAGE_MAX_PIXELS // 1_000_000}
        )
    image_format = picture.format
    try:
        picture.load()
        data = _reencode(picture, image_format)
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise ValidationError(_("This picture is damaged or incomplete.")) from exc
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{ACCEPTED_FORMATS[image_format]}")


def _reencode(picture: PILImage.Image, image_format: str) -> bytes:
    if image_format == "GIF":
        return _reencode_gif(picture)
    upright = ImageOps.exif_transpose(picture)
    options = {"icc_profile": picture.info.get("icc_profile")}
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        options.update(quality=90, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=90)
    else:
        options.update(optimize=True)
    out = io.BytesIO()
    upright.save(out, format=image_format, **{k: v for k, v in options.items() if v})
    return out.getvalue()


def _reencode_gif(picture: PILImage.Image) -> bytes:
    """Each frame as shown (composited over the ones before), drawn afresh and without the
    source's info, which Pillow would otherwise write back (comments, extensions). All the
    frames are held decoded at once, so their pixels together are limited like one picture's."""
    width, height = picture.size
    if picture.n_frames * width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("This animation has %(n)d frames of %(w)d × %(h)d pixels, too many to keep.")
            % {"n": picture.n_frames, "w": width, "h": height}
        )
    loop = picture.info.get("loop")
    frames, durations = [], []
    for frame in ImageSequence.Iterator(picture):
        pixels = frame.convert("RGBA")
        pixels.info = {}
        frames.append(pixels)
        durations.append(frame.info.get("duration", 0))
    # Full frames each replace the last, so transparent areas stay transparent.
    options = {"append_images": frames[1:], "duration": durations, "disposal": 2}
    if loop is not None:
        options["loop"] = loop
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, optimize=True, **options)
    return out.getvalue()


# Sanitised HTML (nh3) always double-quotes attribute values and escapes the quotes inside.
BODY_PICTURE = re.compile(r'<img((?:\s+[\w-]+="[^"]*")*)\s*/?>')
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


def body_pictures_complete(body: str) -> str:
    """Give the body's pictures uploaded here their box size (no layout shift as they load)
    and, where the editor left it out, their alt text. Runs on sanitised HTML when saved."""
    names = body_media_names(body)
    if not names:
        return body
    known = {image.file.name: image for image in Image.objects.filter(file__in=names)}

    def complete(match: re.Match) -> str:
        attrs = dict(ATTRIBUTE.findall(match.group(1)))
        image = known.get(body_media_name(attrs))
        if image is None:
            return match.group(0)
        if not ("width" in attrs and "height" in attrs):
            attrs.update(width=str(image.width), height=str(image.height))
        if not attrs.get("alt"):
            attrs["alt"] = escape(image.alt_text)
        serialised = "".join(f' {name}="{value}"' for name, value in attrs.items())
        return f"<img{serialised}>"

    return BODY_PICTURE.sub(complete, body)


def body_media_name(attrs: dict) -> str | None:
    src = html.unescape(attrs.get("src", ""))
    return src.removeprefix(settings.MEDIA_URL) if src.startswith(settings.MEDIA_URL) else None


def body_images_sync(articles: Iterable[Article]) -> None:
    """Record which library pictures each saved body shows (Article.body_images)."""
    names = {article.pk: body_media_names(article.body) for article in articles}
    wanted = set().union(*names.values())
    ids = dict(Image.objects.filter(file__in=wanted).values_list("file", "pk")) if wanted else {}
    through = Article.body_images.through
    through.objects.filter(article_id__in=names).delete()
    through.objects.bulk_create(
        through(article_id=article_id, image_id=ids[name])
        for article_id, found in names.items()
        for name in found
        if name in ids
    )


def body_media_names(body: str) -> set[str]:
    """The media names of the body's pictures that are stored here."""
    pictures = (dict(ATTRIBUTE.findall(found)) for found in BODY_PICTURE.findall(body))
    return {body_media_name(attrs) for attrs in pictures} - {None}
