from allauth.account.adapter import DefaultAccountAdapter
from django.utils import timezone

from paywall.services import signup_credit


class ReaderAccountAdapter(DefaultAccountAdapter):
    """allauth as it comes, plus crediting a sign-up to the paywall prompt that led to it."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit)
        signup_credit(paywall=request.paywall, now=timezone.now())
        return user
