"""The secret key: from the environment or a file, and never silently missing in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def _settings_process(tmp_path, **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    base |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {READ_KEY}"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_refuses_to_start(tmp_path):
    result = _settings_process(tmp_path, SECRET_KEY_FILE=str(tmp_path / "absent"))
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_secret_is_read_from_the_named_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-0123456789\n")
    result = _settings_process(tmp_path, SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-0123456789"


def test_the_environment_wins_over_the_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file")
    result = _settings_process(tmp_path, SECRET_KEY_FILE=str(key_file), SECRET_KEY="from-env")
    assert result.stdout.strip() == "from-env"
