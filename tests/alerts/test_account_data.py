"""A reader's data export and account deletion reach only the subscriptions that are theirs:
made by their account, or to an address they have verified."""

import json

import pytest
from allauth.account.models import EmailAddress

from alerts.models import Subscriber
from tests import factories

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-reader-password-42"
VICTIM = "someone-else@example.org"


@pytest.fixture
def claimant():
    """A reader whose primary address is someone else's, never verified (as allauth allowed
    while the account had no verified address)."""
    user = factories.UserFactory(email=VICTIM)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=VICTIM, verified=False, primary=True)
    EmailAddress.objects.create(user=user, email="mine@example.org", verified=True)
    return user


@pytest.fixture
def subscriptions(claimant):
    return {
        "victim": Subscriber.objects.create(email=VICTIM, state=Subscriber.State.CONFIRMED),
        "verified": Subscriber.objects.create(
            email="Mine@example.org", state=Subscriber.State.CONFIRMED
        ),
        "account": Subscriber.objects.create(
            email="old@example.org", user=claimant, state=Subscriber.State.PENDING
        ),
    }


def test_the_export_lists_only_the_reader_s_own_subscriptions(client, claimant, subscriptions):
    client.force_login(claimant)
    data = json.loads(client.get("/accounts/profile/export/").content)
    listed = {entry["email"] for entry in data["alert_subscriptions"]}
    assert listed == {"Mine@example.org", "old@example.org"}


def test_deleting_the_account_leaves_someone_else_s_subscription(client, claimant, subscriptions):
    client.force_login(claimant)
    response = client.post("/accounts/profile/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == [VICTIM]
    assert Subscriber.objects.get().state == Subscriber.State.CONFIRMED
