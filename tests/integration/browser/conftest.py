from pathlib import Path

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Path:
    """Where screenshots go: NEWSROOM_TEST_ARTIFACTS, else a folder under pytest's basetemp."""
    chosen = settings.TEST_ARTIFACTS_DIR
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "artifacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
