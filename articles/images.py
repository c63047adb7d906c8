"""Checks and cleans uploaded pictures before anything is stored.

Only real JPEG, PNG, WebP and GIF files pass (never SVG, whatever the name says). Size and
pixel count are limited before decoding, so a decompression bomb costs nothing. The picture
is turned upright from its EXIF orientation and written again without metadata, which drops
camera location data.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

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
    except (OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("This picture is damaged or incomplete.")) from exc
    extension = ACCEPTED_FORMATS[image_format]
    name = f"{uuid.uuid4().hex}.{extension}"
    if image_format == "GIF":
        # GIF carries no EXIF; keep the original so that animations survive.
        return ContentFile(data, name=name)
    return ContentFile(_reencode(picture, image_format), name=name)


def _reencode(picture: PILImage.Image, image_format: str) -> bytes:
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
