"""A reader's alert subscriptions, for their data export and the account's deletion.

A subscription is a reader's through the account that created it or through an address
they have verified: making someone else's address primary claims nothing.
"""

from allauth.account.models import EmailAddress
from django.db.models import Q

from alerts.models import Subscriber


def reader_subscriptions(user):
    verified = EmailAddress.objects.filter(user=user, verified=True)
    mine = Q(user=user)
    for email in verified.values_list("email", flat=True):
        mine |= Q(email__iexact=email)
    return Subscriber.objects.filter(mine)


def reader_subscriptions_export(user) -> list[dict]:
    return [
        {"email": s.email, "state": s.state, "signed_up": s.created_at.isoformat()}
        for s in reader_subscriptions(user)
    ]


def reader_subscriptions_delete(user) -> None:
    reader_subscriptions(user).delete()
