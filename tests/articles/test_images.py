"""Hostile and broken uploads are refused with a clear error and leave nothing behind."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw, ImageSequence

from articles.images import image_prepare_upload
from articles.models import Image
from tests import factories
from tests.factories import ImageFactory, jpeg_bytes


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size but carries almost no data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def jpeg_with_exif(width=60, height=40) -> bytes:
    picture = PILImage.new("RGB", (width, height), (20, 120, 200))
    exif = PILImage.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x010F] = "Camera maker"
    gps = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9"/></svg>'

HOSTILE = {
    "bomb": ("bomb.png", png_header_only(40_000, 40_000)),
    "text named .jpg": ("photo.jpg", b"this is not a picture at all, only text"),
    "truncated jpeg": ("cut.jpg", jpeg_bytes(400, 300)[:600]),
    "svg": ("logo.svg", SVG),
    "svg named .png": ("logo.png", SVG),
    "html named .gif": ("x.gif", b"GIF89a<script>alert(1)</script>"),
}


@pytest.mark.parametrize("name,data", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_upload_is_refused(name, data):
    with pytest.raises(ValidationError):
        image_prepare_upload(ContentFile(data, name=name))


def test_oversized_file_is_refused(settings):
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="at most"):
        image_prepare_upload(ContentFile(jpeg_bytes(300, 300), name="big.jpg"))


def test_real_format_wins_over_the_extension():
    out = io.BytesIO()
    PILImage.new("RGB", (10, 10)).save(out, "PNG")
    cleaned = image_prepare_upload(ContentFile(out.getvalue(), name="photo.jpg"))
    assert cleaned.name.endswith(".png")


def test_orientation_is_applied_and_metadata_stripped():
    cleaned = image_prepare_upload(ContentFile(jpeg_with_exif(60, 40), name="phone.jpg"))
    picture = PILImage.open(io.BytesIO(cleaned.read()))
    assert picture.size == (40, 60)
    exif = picture.getexif()
    assert 0x8825 not in exif and 0x010F not in exif and 0x0112 not in exif


def gif_animation(frames=4, comment=None) -> bytes:
    """A moving red block on a transparent ground, 100 ms more for each frame."""
    pictures = []
    for i in range(frames):
        picture = PILImage.new("RGBA", (40, 30), (0, 0, 0, 0))
        ImageDraw.Draw(picture).rectangle([i * 8, 5, i * 8 + 10, 20], fill=(200, 30 * i, 40))
        pictures.append(picture)
    options = {"comment": comment} if comment else {}
    out = io.BytesIO()
    pictures[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=[100 * (i + 1) for i in range(frames)],
        loop=0,
        disposal=2,
        **options,
    )
    return out.getvalue()


def gif_frames(data: bytes) -> list[tuple[bytes, int]]:
    """What a viewer shows: each frame's pixels and how long it stays."""
    picture = PILImage.open(io.BytesIO(data))
    return [
        (frame.convert("RGBA").tobytes(), frame.info.get("duration"))
        for frame in ImageSequence.Iterator(picture)
    ]


def test_bytes_appended_to_a_gif_are_not_kept():
    payload = b"<?php system($_GET['c']); ?> appended after the trailer"
    for source in (gif_animation(frames=1), gif_animation()):
        cleaned = image_prepare_upload(ContentFile(source + payload, name="a.gif")).read()
        assert b"system(" not in cleaned and b"appended" not in cleaned
        assert gif_frames(cleaned) == gif_frames(source)


def test_a_gif_comment_is_not_kept():
    source = gif_animation(comment=b"<script>alert('hidden in a comment')</script>")
    assert PILImage.open(io.BytesIO(source)).info["comment"]
    cleaned = image_prepare_upload(ContentFile(source, name="a.gif")).read()
    assert b"script" not in cleaned and b"hidden" not in cleaned
    assert "comment" not in PILImage.open(io.BytesIO(cleaned)).info


def test_an_animated_gif_keeps_its_frames_timing_and_looping():
    source = gif_animation(frames=5)
    cleaned = image_prepare_upload(ContentFile(source, name="a.gif")).read()
    picture = PILImage.open(io.BytesIO(cleaned))
    assert picture.n_frames == 5
    assert picture.info["loop"] == 0
    assert gif_frames(cleaned) == gif_frames(source)
    assert [duration for _, duration in gif_frames(cleaned)] == [100, 200, 300, 400, 500]


def test_a_gif_cut_inside_a_later_frame_is_refused():
    source = gif_animation()
    with pytest.raises(ValidationError, match="damaged"):
        image_prepare_upload(ContentFile(source[: len(source) * 3 // 4], name="cut.gif"))


def test_an_animation_with_too_many_pixels_in_all_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 40 * 30 * 3
    with pytest.raises(ValidationError, match="4 frames of 40 × 30 pixels"):
        image_prepare_upload(ContentFile(gif_animation(frames=4), name="a.gif"))


def _media_files():
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.django_db
@pytest.mark.parametrize("name,data", HOSTILE.values(), ids=HOSTILE.keys())
def test_admin_upload_of_hostile_file_is_a_form_error_and_stores_nothing(
    client, writer, name, data
):
    client.force_login(writer)
    before = _media_files()
    response = client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile(name, data), "alt_text": "Alt", "caption": "", "credit": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"]
    assert Image.objects.count() == 0
    assert _media_files() == before


@pytest.mark.django_db
def test_admin_upload_of_a_photo_stores_the_cleaned_picture(client, writer):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/image/add/",
        {
            "file": SimpleUploadedFile("phone.jpg", jpeg_with_exif(60, 40)),
            "alt_text": "A blue square",
            "caption": "Caption",
            "credit": "Staff",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert (image.width, image.height) == (40, 60)
    assert image.uploaded_by == writer
    assert 0x8825 not in PILImage.open(image.file.path).getexif()


@pytest.mark.django_db
def test_alt_text_is_required(client, writer):
    client.force_login(writer)
    response = client.post(
        "/admin/articles/image/add/",
        {"file": SimpleUploadedFile("a.jpg", jpeg_bytes()), "alt_text": ""},
    )
    assert response.status_code == 200
    assert "alt_text" in response.context["adminform"].form.errors


@pytest.mark.django_db
def test_writer_changes_only_own_pictures(client, writer, editor):
    others = ImageFactory(uploaded_by=editor, credit="Photo: Staff")
    own = ImageFactory(uploaded_by=writer)
    factories.article_published(by=editor, lead_image=others)
    client.force_login(writer)
    fields = {"alt_text": "Swapped", "caption": "Swapped", "credit": "Swapped"}
    response = client.post(f"/admin/articles/image/{others.pk}/change/", fields)
    assert response.status_code == 403
    others.refresh_from_db()
    assert others.credit == "Photo: Staff"
    response = client.post(f"/admin/articles/image/{own.pk}/change/", fields)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.credit == "Swapped"
