"""Rewrite every story's search document: after SEARCH_LANGUAGE changes, or a bulk load."""

from django.core.management.base import BaseCommand

from articles.search_index import REBUILD_BATCH, article_search_rebuild


class Command(BaseCommand):
    help = "Rebuild the search documents of all stories (in SQL, in batches of ids)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=REBUILD_BATCH, help="Stories per batch.")

    def handle(self, *args, batch, **options):
        count = article_search_rebuild(batch=batch)
        self.stdout.write(f"Search documents rebuilt: {count}.")
