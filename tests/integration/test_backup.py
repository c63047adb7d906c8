"""bin/backup and bin/restore: an archive restored into a fresh database serves the same story."""

import os
import secrets
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from newsroom.backup import DUMP_NAMES, backup_create
from tests import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_database_url(tmp_path):
    """An empty database of the same kind as the test database, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"newsroom_restore_{secrets.token_hex(4)}"
    params = connection.get_connection_params()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield (
            f"postgres://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}"
            f":{params.get('port', 5432)}/{name}"
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def app(args, *, database_url, media_root, stdin=None) -> str:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "backup-test-" + "x" * 40,
        "SECURE": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media_root),
        "PYTHON": sys.executable,
    }
    result = subprocess.run(
        args, cwd=ROOT, env=env, stdin=stdin, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_its_media(
    tmp_path, settings, fresh_database_url
):
    photo = factories.ImageFactory(caption="Harbour at dawn")
    article = factories.article_published(headline="The harbour reopens", lead_image=photo)
    archive = tmp_path / "newsroom.tar"
    with archive.open("wb") as out:
        backup_create(out=out)
    restored_media = tmp_path / "restored-media"

    with archive.open("rb") as archive_in:
        app(
            ["bin/restore", "-"],
            database_url=fresh_database_url,
            media_root=restored_media,
            stdin=archive_in,
        )

    check = (
        "from articles.models import Article;"
        f"a = Article.objects.published().get(slug={article.slug!r});"
        "print(a.headline, a.lead_image.caption, a.lead_image.file.path, sep='|')"
    )
    output = app(
        [sys.executable, "manage.py", "shell", "-c", check],
        database_url=fresh_database_url,
        media_root=restored_media,
    )
    headline, caption, path = output.strip().splitlines()[-1].split("|")
    assert (headline, caption) == ("The harbour reopens", "Harbour at dawn")
    assert Path(path).is_relative_to(restored_media)
    assert Path(path).read_bytes() == Path(photo.file.path).read_bytes()

    # The restored site backs up in turn, through bin/backup this time.
    again = tmp_path / "again.tar"
    app(["bin/backup", str(again)], database_url=fresh_database_url, media_root=restored_media)
    with tarfile.open(again) as contents:
        names = contents.getnames()
    assert DUMP_NAMES[connection.vendor] in names
    assert f"media/{photo.file.name}" in names
