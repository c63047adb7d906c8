"""A database made before the alerts had an app of their own keeps every row and grant."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alerts.models import Alert, Delivery, Subscriber
from articles.models import Article
from tests import factories

BEFORE = [
    ("alerts", None),
    ("accounts", "0003_reader_profile"),
    ("articles", "0009_editors_curate_front_and_pages"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_and_editor_grants_survive_the_move(client):
    editor = factories.editor_factory()
    article = factories.article_published(by=editor)
    old = migrate(BEFORE)
    try:
        old_subscriber = old.get_model("accounts", "Subscriber")
        old_alert = old.get_model("articles", "Alert")
        old_delivery = old.get_model("articles", "Delivery")
        subscriber = old_subscriber.objects.create(email="kept@example.org", state="confirmed")
        alert = old_alert.objects.create(article_id=article.pk, planned=1)
        old_delivery.objects.create(alert=alert, subscriber=subscriber, state="sent")
    finally:
        migrate(latest())

    assert Subscriber.objects.get().email == "kept@example.org"
    moved = Alert.objects.with_progress().get()
    assert (moved.article_id, moved.planned, moved.sent) == (article.pk, 1, 1)
    assert Delivery.objects.get().subscriber.email == "kept@example.org"
    assert Article.objects.get(pk=article.pk).alert == moved

    client.force_login(editor)
    for page in ("/admin/alerts/alert/", "/admin/alerts/subscriber/"):
        response = client.get(page)
        assert response.status_code == 200, page
    assert "kept@example.org" in client.get("/admin/alerts/subscriber/").content.decode()
    assert editor.has_perm("alerts.view_alert") and editor.has_perm("alerts.view_subscriber")
