"""An address nobody has confirmed never becomes the one an account signs in and is mailed
with: allauth refuses to make it primary while the account has a verified address, and with
mandatory verification every account in use has one."""

import pytest
from allauth.account.models import EmailAddress


@pytest.mark.django_db
def test_an_unverified_address_cannot_be_made_primary(client, reader):
    EmailAddress.objects.create(user=reader, email=reader.email, verified=True, primary=True)
    EmailAddress.objects.create(user=reader, email="someone-else@example.org", verified=False)
    client.force_login(reader)
    response = client.post(
        "/accounts/email/", {"action_primary": "", "email": "someone-else@example.org"}
    )
    assert response.status_code in (200, 302)
    reader.refresh_from_db()
    assert reader.email != "someone-else@example.org"
    assert EmailAddress.objects.get_primary(reader).email == reader.email
    verified = EmailAddress.objects.create(user=reader, email="second@example.org", verified=True)
    client.post("/accounts/email/", {"action_primary": "", "email": verified.email})
    reader.refresh_from_db()
    assert reader.email == "second@example.org"  # a verified one can
