"""Test data for the reader's site, built through the product's services."""

from django.core.files.base import ContentFile
from django.utils import timezone

from articles.models import Correction
from articles.renditions import image_renditions_create
from tests import factories


def picture(*, width=1400, height=900, renditions=True, **fields):
    image = factories.ImageFactory(
        file=ContentFile(factories.jpeg_bytes(width, height), name="picture.jpg"), **fields
    )
    if renditions:
        image_renditions_create(image=image)
    return image


def rich_article(*, editor, section, people=1, topics=1, corrections=0, related=0, **fields):
    """A published story with n authors, tags, corrections and related stories, all pictured."""
    authors = [
        factories.AuthorFactory(bio=f"Covers the region, story {n}.") for n in range(people)
    ]
    tags = [factories.TagFactory() for _ in range(topics)]
    for _ in range(related):
        factories.article_published(
            by=editor, section=section, tags=tags[:1], lead_image=picture(width=640, height=400)
        )
    fields.setdefault("lead_image", picture())
    article = factories.article_published(
        by=editor, section=section, authors=authors, tags=tags, **fields
    )
    for n in range(corrections):
        Correction.objects.create(
            article=article,
            text=f"An earlier version misstated figure {n}.",
            created_at=timezone.now(),
        )
    return article


def furnished_article(*, editor, section, **fields):
    """A story with every piece of page furniture: bylines, tags, a correction, related."""
    furniture = {"people": 2, "topics": 2, "corrections": 1, "related": 2, "kicker": "update desk"}
    return rich_article(editor=editor, section=section, **(furniture | fields))
