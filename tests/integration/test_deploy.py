"""The deployment files: compose accepts them, the example env covers them, and the
production settings pass Django's deployment checklist."""

import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


def example_env() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if re.match(r"^[A-Z_]+=", line))
    return dict(pairs)


def compose(tmp_path, *args) -> str:
    require_service(
        "docker-compose", bool(shutil.which("docker-compose")), "apt-get install docker-compose"
    )
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    values = {**example_env(), "SECRET_KEY": "k" * 50, "POSTGRES_PASSWORD": "pw"}
    (tmp_path / ".env").write_text("".join(f"{k}={v}\n" for k, v in values.items()))
    result = subprocess.run(
        ["docker-compose", *args], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert "is not set" not in result.stderr, result.stderr
    return result.stdout


def test_compose_accepts_the_file_with_every_service_and_volume(tmp_path):
    services = compose(tmp_path, "--profile", "dev", "config", "--services").split()
    volumes = compose(tmp_path, "config", "--volumes").split()

    assert sorted(services) == ["beat", "mailpit", "postgres", "redis", "web", "worker"]
    assert sorted(volumes) == ["imports", "media", "postgres-data", "redis-data"]


def test_compose_passes_the_env_file_to_the_app(tmp_path):
    config = compose(tmp_path, "config")

    assert "DATABASE_URL: postgres://newsroom:pw@postgres:5432/newsroom" in config
    assert "ALLOWED_HOSTS: news.example.org,localhost" in config
    assert "python manage.py migrate --noinput" in config


def test_every_variable_compose_reads_is_in_the_example_env():
    used = set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))

    assert used - set(example_env()) == set()


def deploy_check(**overrides) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECURE": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "news.example.org",
        "TRUSTED_PROXY_COUNT": example_env()["TRUSTED_PROXY_COUNT"],
        "SITE_URL": example_env()["SITE_URL"],
        **overrides,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_an_https_site_with_no_proxy_trusted_is_named_by_the_checklist():
    result = deploy_check(TRUSTED_PROXY_COUNT="0")
    assert result.returncode != 0
    assert "newsroom.W001" in result.stderr + result.stdout


def test_an_https_site_without_its_address_fails_the_checklist():
    """Emails have no request to take the address from."""
    result = deploy_check(SITE_URL="")
    assert result.returncode != 0
    assert "newsroom.E001" in result.stderr + result.stdout
    assert "SITE_URL" in result.stderr + result.stdout


def test_production_settings_pass_the_deployment_checklist():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
