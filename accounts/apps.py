from django.apps import AppConfig
from django.contrib.auth import get_user_model


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers"

    def ready(self):
        from allauth.account.models import EmailAddress

        from accounts.backends import cached_user_forget_on_change

        # The user row and the email addresses it carries the facts of; the paywall adds
        # the donor record.
        cached_user_forget_on_change(get_user_model(), user_id="pk")
        cached_user_forget_on_change(EmailAddress, user_id="user_id")
