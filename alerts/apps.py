from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Breaking-news alerts"

    def ready(self):
        from accounts.account_data import AccountPart, account_part_register
        from alerts import account_data, receivers  # noqa: F401 - receivers connect

        account_part_register(
            AccountPart(
                name="alert_subscriptions",
                export=account_data.reader_subscriptions_export,
                delete=account_data.reader_subscriptions_delete,
            )
        )
