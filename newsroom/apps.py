from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    """The project's shared layer, installed for its deployment checks."""

    name = "newsroom"
    verbose_name = "Newsroom project"

    def ready(self):
        from newsroom import checks  # noqa: F401 - registers the deployment checks
