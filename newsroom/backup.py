"""Backup and restore of the database and the uploaded media, as one tar archive.

bin/backup and bin/restore call this module; docs/operations.md says when and how. The
archive holds `database.pgdump` (pg_dump's custom format) or `database.sqlite3`, and the media
folder under `media/`. It can stream through stdout and stdin, so that a container writes it
straight to the host: `docker compose exec -T web bin/backup - > newsroom.tar`.

A restore replaces the database's content in one transaction and puts the archived media
files back; after restoring an archive from an older release, run `migrate`.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import BinaryIO

import django
from django.conf import settings
from django.db import connection
from django.utils import timezone

DUMP_NAMES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"


def _client(executable: str, parameters: list[str]) -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore arguments for the configured database, as `dbshell` builds psql's."""
    args, env = connection.client.settings_to_cmd_args_env(connection.settings_dict, parameters)
    return [executable, *args[1:]], {**os.environ, **(env or {})}


def _dump_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _client("pg_dump", ["--format=custom", "--no-owner", "--no-privileges"])
        with path.open("wb") as out:
            subprocess.run(args, env=env, stdout=out, check=True)  # noqa: S603 (argv from settings)
    else:
        connection.ensure_connection()
        target = sqlite3.connect(path)
        with target:
            connection.connection.backup(target)
        target.close()


def _load_database(path: Path) -> None:
    if connection.vendor == "postgresql":
        # The database name follows the last parameter, so it lands after --dbname.
        parameters = ["--clean", "--if-exists", "--no-owner", "--no-privileges"]
        args, env = _client("pg_restore", [*parameters, "--single-transaction", "--dbname"])
        with path.open("rb") as dump:
            subprocess.run(args, env=env, stdin=dump, check=True)  # noqa: S603 (argv from settings)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(path)
        source.backup(connection.connection)
        source.close()
    connection.close()


def backup_create(*, out: BinaryIO) -> None:
    """Write the archive of the database and the media folder to `out`."""
    dump_name = DUMP_NAMES[connection.vendor]
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="newsroom-backup-") as folder:
        dump = Path(folder) / dump_name
        _dump_database(dump)
        with tarfile.open(fileobj=out, mode="w|") as archive:
            archive.add(dump, arcname=dump_name)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA_PREFIX.rstrip("/"))


def backup_restore(*, archive_in: BinaryIO) -> None:
    """Restore the database and the media folder from an archive made by backup_create."""
    dump_name = DUMP_NAMES[connection.vendor]
    media_root = Path(settings.MEDIA_ROOT)
    found_dump = False
    with (
        tempfile.TemporaryDirectory(prefix="newsroom-restore-") as folder,
        tarfile.open(fileobj=archive_in, mode="r|") as archive,
    ):
        for member in archive:
            if member.name == dump_name:
                archive.extract(member, path=folder, filter="data")
                found_dump = True
            elif member.name.startswith(MEDIA_PREFIX):
                relative = member.replace(name=member.name.removeprefix(MEDIA_PREFIX))
                archive.extract(relative, path=media_root, filter="data")
        if not found_dump:
            raise SystemExit(f"No {dump_name} in the archive: was it made from another database?")
        _load_database(Path(folder) / dump_name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["create", "restore"])
    parser.add_argument("path", nargs="?", help="archive file; '-' for stdout/stdin")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()

    if options.action == "create":
        path = options.path or f"backups/newsroom-{timezone.now():%Y%m%dT%H%M%SZ}.tar"
        if path == "-":
            backup_create(out=sys.stdout.buffer)
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as out:
            backup_create(out=out)
        print(f"Backup written to {path}", file=sys.stderr)
    else:
        if not options.path:
            parser.error("restore needs the archive's path, or '-' for stdin")
        if options.path == "-":
            backup_restore(archive_in=sys.stdin.buffer)
            return
        with open(options.path, "rb") as archive_in:
            backup_restore(archive_in=archive_in)
        print(f"Restored from {options.path}", file=sys.stderr)


if __name__ == "__main__":
    main()
