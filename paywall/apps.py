from django.apps import AppConfig
from django.utils import timezone


class PaywallConfig(AppConfig):
    name = "paywall"
    verbose_name = "Paywall"

    def ready(self):
        from allauth.account.signals import user_signed_up

        from accounts.account_data import AccountPart, account_part_register
        from accounts.backends import cached_user_forget_on_change
        from paywall import (
            checks,  # noqa: F401 - registers the start-up checks
            services,
        )
        from paywall.models import Donor

        # A signed-in reader's kept row carries until when they count as a donor.
        cached_user_forget_on_change(Donor, user_id="user_id")
        user_signed_up.connect(_signed_up, dispatch_uid="paywall-signup-credit")
        account_part_register(
            AccountPart(
                name="donor_until",
                export=services.donor_export,
                delete=services.donor_forget,
            )
        )
        account_part_register(
            AccountPart(
                name="donation_returns",
                export=services.donation_returns_export,
                delete=services.donation_returns_forget,
            )
        )


def _signed_up(sender, request, user, **kwargs):
    """Credited to the nudge or wall that led to it, if any."""
    from paywall.services import signup_credit

    signup_credit(paywall=request.paywall, now=timezone.now())
