"""The secret key: from the environment or a file, and never silently missing in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READ_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)
NO_KEY_MESSAGE = "Set the SECRET_KEY environment variable, or SECRET_KEY_FILE"


def _process(args: list[str], **env):
    base = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    base |= {"DJANGO_SETTINGS_MODULE": "newsroom.settings", **env}
    return subprocess.run(args, cwd=ROOT, env=base, capture_output=True, text=True, timeout=60)


def _settings_process(**env):
    return _process([sys.executable, "-c", READ_KEY], **env)


def test_the_web_server_refuses_to_start_without_a_secret(tmp_path):
    absent = str(tmp_path / "absent")
    result = _process([sys.executable, "-c", "import newsroom.wsgi"], SECRET_KEY_FILE=absent)
    assert result.returncode != 0
    assert NO_KEY_MESSAGE in result.stderr


def test_celery_refuses_to_start_without_a_secret(tmp_path):
    celery = str(Path(sys.executable).with_name("celery"))
    worker = [celery, "-A", "newsroom", "worker", "--pool", "solo", "--loglevel", "WARNING"]
    result = _process(worker, SECRET_KEY_FILE=str(tmp_path / "absent"))
    assert result.returncode != 0
    assert NO_KEY_MESSAGE in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret(tmp_path):
    command = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]
    result = _process(command, SECRET_KEY_FILE=str(tmp_path / "absent"))
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_secret_is_read_from_the_named_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file-0123456789\n")
    result = _settings_process(SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "from-a-file-0123456789"


def test_the_environment_wins_over_the_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("from-a-file")
    result = _settings_process(SECRET_KEY_FILE=str(key_file), SECRET_KEY="from-env")
    assert result.stdout.strip() == "from-env"
