from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers"

    def ready(self):
        from allauth.account.models import EmailAddress

        from paywall.models import Donor

        for model in (EmailAddress, Donor):
            uid = f"account-facts-{model.__name__}"
            post_save.connect(_facts_changed, sender=model, dispatch_uid=uid)
            post_delete.connect(_facts_changed, sender=model, dispatch_uid=uid)
        user_model = get_user_model()
        post_save.connect(_user_changed, sender=user_model, dispatch_uid="cached-user")
        post_delete.connect(_user_changed, sender=user_model, dispatch_uid="cached-user")


def _facts_changed(sender, instance, **kwargs):
    """What the article page knows of a reader (accounts/selectors.py) is out of date."""
    from accounts.selectors import account_facts_forget

    account_facts_forget(instance.user_id)


def _user_changed(sender, instance, **kwargs):
    """The signed-in reader's row kept for their requests (accounts/backends.py) is stale."""
    from accounts.backends import cached_user_forget

    cached_user_forget(instance.pk)
