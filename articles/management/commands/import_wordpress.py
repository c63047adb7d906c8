from articles.importers.command import ImportCommand
from articles.importers.wordpress import wordpress_import


class Command(ImportCommand):
    help = "Import a WordPress export file (WXR): posts, pages, authors, comments, redirects."
    reader = staticmethod(wordpress_import)
