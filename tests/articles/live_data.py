"""Live stories and their updates for the tests, built through the live desk's services."""

from django.test import TestCase

from articles import live_services
from articles.models import LiveCoverage, LiveUpdate
from tests import factories

SECRET = "words-only-the-update-body-has"


def committed(step):
    """Runs a write as if its transaction committed there: the scopes it moves move."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return step()


def live_story(*, editor, rule=LiveCoverage.WriterUpdates.HELD, **fields):
    """A published story whose live coverage runs."""
    article = committed(lambda: factories.article_published(by=editor, **fields))
    committed(lambda: live_services.live_start(article=article, by=editor, writer_updates=rule))
    return article


def update_post(article, *, by, n=0, **fields) -> LiveUpdate:
    values = {
        "headline": f"Update headline {n}",
        "body": f"<p>Update {n} says {SECRET}-{n}.</p>",
        **fields,
    }
    coverage = LiveCoverage.objects.get(pk=article.pk)
    return committed(
        lambda: live_services.live_update_post(
            coverage=coverage, by=by, update=LiveUpdate(**values)
        )
    )
