"""Old addresses answer with a permanent redirect that keeps a posted form."""

import pytest

from tests import factories


@pytest.mark.django_db
def test_a_comment_posted_to_the_old_address_keeps_its_body(client, published_article):
    reader = factories.verified_reader_factory()
    client.force_login(reader)
    old = f"/accounts/comments/{published_article.pk}/"
    response = client.post(old, {"body": "Still here."})
    assert (response.status_code, response["Location"]) == (
        308,
        f"/comments/{published_article.pk}/",
    )
    followed = client.post(response["Location"], {"body": "Still here."})
    assert followed.status_code == 302
    assert published_article.comments.get().body == "Still here."


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/articles/alert/", "/admin/alerts/alert/"),
        ("/admin/articles/alert/7/change/", "/admin/alerts/alert/7/change/"),
        ("/admin/articles/alert/send/3/", "/admin/alerts/alert/send/3/"),
        ("/admin/accounts/subscriber/?q=a", "/admin/alerts/subscriber/?q=a"),
    ],
)
def test_the_alert_admin_s_old_addresses_lead_to_the_new_ones(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (308, new)
