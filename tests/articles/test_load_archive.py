"""The benchmark's bulk loader leaves what the services would: documents, renditions."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.management.commands.load_archive import RARE_WORD
from articles.models import Article, Image, Rendition
from articles.search import article_search


# Committed, as a real load is: on PostgreSQL the documents are then written by other
# connections and the search index is built again at the end.
@pytest.mark.django_db(transaction=True)
def test_load_archive_leaves_searchable_published_stories_with_pictures(client):
    call_command(
        "load_archive",
        stories=30,
        pictures=10,
        tags=20,
        authors=5,
        sections=3,
        stdout=io.StringIO(),
    )
    assert Article.objects.published().count() == 30
    assert [a.slug for a in article_search(RARE_WORD)] == ["archive-0"]
    assert Image.objects.count() == 10
    per_image = Rendition.objects.filter(image=Image.objects.first()).count()
    assert per_image and Rendition.objects.count() == 10 * per_image
    story = Article.objects.filter(lead_image__isnull=False).first()
    assert story.pk in article_search(f'"{story.tags.first().name}"').ids
    assert client.get("/section/section-0/").status_code == 200
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    assert "article_search_document" in indexes or connection.vendor != "postgresql"
