"""The benchmark's bulk loader leaves what the services would: documents, renditions."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from articles.management.commands.load_archive import RARE_WORD
from articles.models import Article, ArticleAuthor, Image, Rendition
from articles.search import article_search


# Committed, as a real load is: on PostgreSQL the documents are then written by other
# connections and the search index is built again at the end.
@pytest.mark.django_db(transaction=True)
def test_load_archive_leaves_searchable_published_stories_with_pictures(client):
    before = _indexes()
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
    assert _indexes() == before
    assert "article_search_document" in before or connection.vendor != "postgresql"


def _indexes() -> set[str]:
    """The names of the stories' and their links' indexes and constraints."""
    models = [Article, ArticleAuthor, Article.tags.through]
    with connection.cursor() as cursor:
        return {
            name
            for model in models
            for name in connection.introspection.get_constraints(cursor, model._meta.db_table)
        }
