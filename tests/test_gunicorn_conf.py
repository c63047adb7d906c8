"""The web worker's garbage-collector setting (newsroom/gunicorn_conf.py)."""

import gc
from types import SimpleNamespace

import pytest

from newsroom import gunicorn_conf


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def serve(number: int) -> None:
    """What gunicorn calls after a worker's request `number`."""
    gunicorn_conf.post_request(SimpleNamespace(nr=number), None, {}, None)


def test_a_worker_sets_what_it_loaded_aside_once_after_its_first_requests(unfrozen):
    for number in range(1, gunicorn_conf.FREEZE_AFTER_REQUESTS):
        serve(number)
    assert gc.get_freeze_count() == 0

    serve(gunicorn_conf.FREEZE_AFTER_REQUESTS)
    frozen = gc.get_freeze_count()
    assert frozen > 0

    made_later = [[] for _ in range(1000)]  # would be frozen too by a second freeze
    serve(gunicorn_conf.FREEZE_AFTER_REQUESTS + 1)
    assert gc.get_freeze_count() == frozen, "later requests' objects stay collectable"
    del made_later
