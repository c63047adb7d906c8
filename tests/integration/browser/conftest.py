from pathlib import Path

import pytest

from tests.integration.chromium import ARTIFACTS


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the admin pages' screenshots go, beside the other browser tests'."""
    folder = ARTIFACTS / "admin"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
