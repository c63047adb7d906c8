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


def pytest_collection_modifyitems(items):
    """Every committing test restores the migrated data (groups, content types) afterwards.

    A flush without serialized rollback re-creates content types under new ids, which breaks
    the next test that does restore them; so all transactional tests restore, none flush bare.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        if (
            marker
            and marker.kwargs.get("transaction")
            and "serialized_rollback" not in marker.kwargs
        ):
            kwargs = {**marker.kwargs, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts with empty caches: a page another test stored must not show here."""
    from django.core.cache import caches

    for alias in settings.CACHES:
        caches[alias].clear()


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
def verified_reader(db):
    return factories.verified_reader_factory()


@pytest.fixture
def section(db):
    return factories.SectionFactory(name="World", slug="world")


@pytest.fixture
def author(db):
    return factories.AuthorFactory()


@pytest.fixture
def published_article(db, section, author):
    return factories.article_published(section=section, authors=[author])
