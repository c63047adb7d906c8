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


def test_a_worker_sets_what_it_loaded_aside_once_after_its_first_requests(unfrozen):
    kept = [object() for _ in range(3)]
    for served in range(1, gunicorn_conf.FREEZE_AFTER_REQUESTS):
        gunicorn_conf.post_request(SimpleNamespace(nr=served), None, {}, None)
    assert gc.get_freeze_count() == 0

    gunicorn_conf.post_request(
        SimpleNamespace(nr=gunicorn_conf.FREEZE_AFTER_REQUESTS), None, {}, None
    )
    frozen = gc.get_freeze_count()
    assert frozen > len(kept)

    later = [[] for _ in range(1000)]
    gunicorn_conf.post_request(
        SimpleNamespace(nr=gunicorn_conf.FREEZE_AFTER_REQUESTS + 1), None, {}, None
    )
    assert gc.get_freeze_count() == frozen, "later requests' objects stay collectable"
    assert later
