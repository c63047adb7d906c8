from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone

from paywall.services import signup_credit


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth as it comes, plus crediting a sign-up to the paywall prompt that led to it."""

    def set_password(self, user, password):
        """Only the password is written: the reader's row may come from the cache
        (accounts/backends.py), and saving all of it could undo a change made meanwhile."""
        user.set_password(password)
        user.save(update_fields=["password"])

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit)
        signup_credit(paywall=request.paywall, now=timezone.now())
        return user
