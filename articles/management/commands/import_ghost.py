from articles.importers.command import ImportCommand
from articles.importers.ghost import ghost_import


class Command(ImportCommand):
    help = "Import a Ghost JSON export (Ghost 3 to 5): posts, pages, authors, redirects."
    reader = staticmethod(ghost_import)
