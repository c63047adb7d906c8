import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image as PILImage

EXPORTS = Path(__file__).parent / "exports"


def picture_bytes(size=(600, 400), color="red") -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def media_dir(tmp_path):
    """A copy of the old site's uploads: the one picture the export has there."""
    folder = tmp_path / "uploads"
    (folder / "2020" / "01").mkdir(parents=True)
    (folder / "2020" / "01" / "photo.png").write_bytes(picture_bytes())
    return folder


@pytest.fixture
def run_import():
    """Run an import command as a user would; returns its report."""

    def run(command: str, export: Path, *options: str) -> str:
        out = io.StringIO()
        call_command(command, str(export), *options, stdout=out)
        return out.getvalue()

    return run
