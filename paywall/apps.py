from django.apps import AppConfig


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = "Paywall"

    def ready(self):
        from paywall import checks  # noqa: F401 - registers the start-up checks
