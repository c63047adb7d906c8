import pytest
from django.conf import settings

from tests import factories


def require_service(name: str, configured: bool, reason: str) -> None:
    """Skip locally, fail in CI: a CI run never passes by skipping a real-service test."""
    if configured:
        return
    message = f"{name} is not available: {reason}"
    if settings.CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def postgres(db):
    """A test that needs PostgreSQL features (full-text search, SKIP LOCKED)."""
    from django.db import connection

    require_service(
        "PostgreSQL", connection.vendor == "postgresql", "set DATABASE_URL=postgres://..."
    )
    return connection


@pytest.fixture
def editor(db):
    return factories.editor_factory()


@pytest.fixture
def writer(db):
    return factories.writer_factory()


@pytest.fixture
def reader(db):
    return factories.UserFactory()


@pytest.fixture
def section(db):
    return factories.SectionFactory(name="World", slug="world")


@pytest.fixture
def author(db):
    return factories.AuthorFactory()


@pytest.fixture
def published_article(db, section, author):
    return factories.article_published(section=section, authors=[author])
