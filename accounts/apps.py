from django.apps import AppConfig
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

SIGN_IN_FIELDS = frozenset({"last_login"})


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Readers"

    def ready(self):
        from allauth.account.models import EmailAddress

        from paywall.models import Donor

        # The user row, and the email addresses and donor record it carries the facts of.
        for model, user_id in (
            (get_user_model(), "pk"),
            (EmailAddress, "user_id"),
            (Donor, "user_id"),
        ):
            receiver = _row_changed(user_id)
            uid = f"cached-user-{model.__name__}"
            post_save.connect(receiver, sender=model, dispatch_uid=uid, weak=False)
            post_delete.connect(receiver, sender=model, dispatch_uid=uid, weak=False)


def _row_changed(user_id: str):
    """A receiver that drops the signed-in reader's row kept for their requests
    (accounts/backends.py): it, or what it carries, has changed."""

    def receiver(sender, instance, update_fields=None, **kwargs):
        from accounts.backends import cached_user_forget

        if update_fields == SIGN_IN_FIELDS:
            return  # a sign-in, which moves only the time of the last one: no page shows it
        cached_user_forget(getattr(instance, user_id))

    return receiver
