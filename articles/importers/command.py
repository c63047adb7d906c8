"""What `import_wordpress` and `import_ghost` share: the arguments, the run, the report."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importers.media import MediaSource
from articles.importers.service import Importer, ImportFileError

UNREADABLE_EXIT_CODE = 2


class ImportCommand(BaseCommand):
    """A subclass names its reader: a function of (path, importer)."""

    reader = None

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path)
        parser.add_argument("--media-dir", type=Path, help="A copy of the site's uploaded media.")
        parser.add_argument("--dry-run", action="store_true", help="Report, write nothing.")

    def handle(self, *args, export: Path, media_dir: Path | None, dry_run: bool, **options):
        if not export.is_file():
            raise CommandError(f"{export}: no such file.", returncode=UNREADABLE_EXIT_CODE)
        if media_dir and not media_dir.is_dir():
            raise CommandError(f"{media_dir}: no such folder.", returncode=UNREADABLE_EXIT_CODE)
        importer = Importer(media=MediaSource(folder=media_dir), dry_run=dry_run)
        try:
            type(self).reader(path=export, importer=importer)
        except ImportFileError as error:
            raise CommandError(f"{export}: {error}", returncode=UNREADABLE_EXIT_CODE) from error
        finally:
            report = importer.finish()
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
        self.stdout.write("\n".join(report.lines()))
