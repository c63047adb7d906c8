import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alerts import services as alerting
from alerts.models import Alert, Delivery, Subscriber
from articles import services
from articles.models import Article, WorkflowEvent
from tests import factories
from tests.alerts.conftest import subscriber_confirmed, subscribers_bulk

State = Subscriber.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def audience():
    subscribers_bulk(5)
    subscribers_bulk(2, state=State.PENDING, prefix="pending")
    subscribers_bulk(2, state=State.UNSUBSCRIBED, prefix="gone")
    subscribers_bulk(2, state=State.BOUNCED, prefix="bounced")
    return [subscriber_confirmed("confirmed@example.org")]


def test_each_confirmed_subscriber_gets_one_alert(published_article, editor, audience, on_commit):
    with on_commit():
        alert, created = alerting.alert_create(article=published_article, by=editor)
    assert created
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(
        ["confirmed@example.org"] + [f"reader{n}@example.net" for n in range(5)]
    )
    alert.refresh_from_db()
    assert alert.planned == 6 and alert.finished_at is not None
    progress = Alert.objects.with_progress().get(pk=alert.pk)
    assert (progress.sent, progress.failed, progress.pending) == (6, 0, 0)


def test_alert_email_has_both_parts_and_one_click_headers(
    published_article, editor, audience, on_commit, settings
):
    settings.SITE_NAME = "The Newsroom Ledger"
    settings.DEFAULT_FROM_EMAIL = "Desk <alerts@example.org>"  # the site's name goes first
    with on_commit():
        alerting.alert_create(article=published_article, by=editor)
    message = next(m for m in mail.outbox if m.to == ["confirmed@example.org"])
    assert published_article.headline in message.subject
    assert message.from_email == "The Newsroom Ledger <alerts@example.org>"
    html = message.alternatives[0][0]
    assert published_article.dek in message.body and published_article.dek in html
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in message.body and link in html
    assert published_article.get_absolute_url() in message.body


def test_an_article_is_alerted_once(published_article, editor, audience, on_commit):
    with on_commit():
        first, created_first = alerting.alert_create(article=published_article, by=editor)
        second, created_second = alerting.alert_create(article=published_article, by=editor)
    assert first == second and created_first and not created_second
    assert Alert.objects.count() == 1
    assert WorkflowEvent.objects.filter(action=WorkflowEvent.Action.ALERT_SENT).count() == 1
    assert len(mail.outbox) == 6


def test_an_alert_to_nobody_is_refused_and_the_story_keeps_its_alert(
    published_article, editor, on_commit
):
    subscribers_bulk(2, state=State.PENDING, prefix="pending")
    with pytest.raises(ValidationError, match="reach nobody"):
        alerting.alert_create(article=published_article, by=editor)
    assert not Alert.objects.exists()
    assert not WorkflowEvent.objects.filter(action=WorkflowEvent.Action.ALERT_SENT).exists()
    subscriber_confirmed("first@example.org")
    with on_commit():
        _alert, created = alerting.alert_create(article=published_article, by=editor)
    assert created and [m.to for m in mail.outbox] == [["first@example.org"]]


def test_an_alert_planned_after_everyone_left_finishes_at_once(published_article, editor):
    subscriber_confirmed("leaving@example.org")
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    Subscriber.objects.update(state=State.UNSUBSCRIBED)
    assert alerting.alert_plan(alert_id=alert.pk) == 0
    alert.refresh_from_db()
    assert alert.planned == 0 and alert.finished_at is not None


def test_unpublished_article_cannot_be_alerted(editor, section):
    draft = factories.article_create(by=editor, section=section)
    with pytest.raises(Exception, match="published"):
        alerting.alert_create(article=draft, by=editor)


def test_writer_cannot_send(published_article, writer):
    with pytest.raises(Exception, match="not allowed"):
        alerting.alert_create(article=published_article, by=writer)


def test_subscriber_who_left_after_planning_gets_nothing(published_article, editor, audience):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    Subscriber.objects.filter(email="reader0@example.net").update(state=State.UNSUBSCRIBED)
    alerting.alert_send_batches(alert_id=alert.pk)
    assert "reader0@example.net" not in [m.to[0] for m in mail.outbox]
    assert Delivery.objects.filter(state=Delivery.State.FAILED).count() == 1


def test_a_story_pulled_mid_send_is_mailed_to_nobody_else(
    published_article, editor, audience, settings
):
    settings.ALERTS_BATCH_SIZE = 2
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    settings.ALERTS_TASK_SECONDS = 0  # one batch per task, as when workers take turns
    alerting.alert_send_batches(alert_id=alert.pk)
    assert len(mail.outbox) == 2
    services.article_unpublish(article=published_article, by=editor)
    alerting.alert_send_batches(alert_id=alert.pk)  # a task queued before the pull
    assert len(mail.outbox) == 2
    withdrawn = Delivery.objects.filter(state=Delivery.State.FAILED, error=alerting.WITHDRAWN)
    assert withdrawn.count() == 4
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_unpublishing_withdraws_every_unsent_delivery_at_once(published_article, editor, audience):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    assert alerting.alert_plan(alert_id=alert.pk) == 6
    services.article_unpublish(article=published_article, by=editor)  # before any sending
    rows = set(Delivery.objects.values_list("state", "error", "claimed_until"))
    assert rows == {(Delivery.State.FAILED, alerting.WITHDRAWN, None)}
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_a_worker_stops_within_its_batch_when_the_story_is_pulled(
    published_article, editor, audience, settings, monkeypatch
):
    settings.ALERTS_FLUSH_SECONDS = 0  # the worker asks about the story before each message
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    build = alerting.AlertEmail.message

    def message_then_pull(self, **kwargs):
        if len(mail.outbox) == 2:  # an editor pulls the story while the batch goes out
            services.article_unpublish(article=published_article, by=editor)
        return build(self, **kwargs)

    monkeypatch.setattr(alerting.AlertEmail, "message", message_then_pull)
    alerting.alert_send_batches(alert_id=alert.pk)
    assert len(mail.outbox) == 3  # the message being built when the story was pulled
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 3
    withdrawn = Delivery.objects.filter(state=Delivery.State.FAILED, error=alerting.WITHDRAWN)
    assert withdrawn.count() == 3
    assert not Delivery.objects.filter(state=Delivery.State.PENDING).exists()


def test_a_story_published_by_a_clock_ahead_of_the_worker_still_goes_out(
    published_article, editor, audience
):
    """Whether a story was pulled is read from its status, not its time against this
    worker's clock."""
    Article.objects.filter(pk=published_article.pk).update(
        publish_at=timezone.now() + timedelta(seconds=30)
    )
    alert, _ = alerting.alert_create(
        article=published_article, by=editor, now=timezone.now() + timedelta(minutes=1)
    )
    alerting.alert_plan(alert_id=alert.pk)
    alerting.alert_send_batches(alert_id=alert.pk)
    assert len(mail.outbox) == 6


def test_a_story_pulled_before_planning_is_mailed_to_nobody(published_article, editor, audience):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    services.article_unpublish(article=published_article, by=editor)
    assert alerting.alert_plan(alert_id=alert.pk) == 0
    assert mail.outbox == [] and not Delivery.objects.exists()


def test_planning_twice_adds_no_rows(published_article, editor, audience):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    alerting.alert_plan(alert_id=alert.pk)
    assert Delivery.objects.count() == 6


def test_expired_claims_are_requeued(published_article, editor, audience, on_commit):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    later = timezone.now() + timedelta(hours=1)
    Delivery.objects.update(claimed_until=timezone.now())
    with on_commit():
        assert alerting.alert_requeue_expired(now=later) == 1
    assert len(mail.outbox) == 6
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 6


def test_alert_whose_tasks_were_lost_is_revived(published_article, editor, audience, on_commit):
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    assert alerting.alert_requeue_expired() == 0
    Alert.objects.update(planned_at=timezone.now() - timedelta(hours=1))
    with on_commit():
        assert alerting.alert_requeue_expired() == 1
    assert len(mail.outbox) == 6
    alert.refresh_from_db()
    assert alert.finished_at is not None


def test_scheduled_story_sends_its_alert_at_go_live(editor, section, audience, on_commit):
    article = factories.article_create(by=editor, section=section, alert_at_go_live=True)
    before = timezone.now() - timedelta(minutes=10)
    services.article_schedule(
        article=article, by=editor, publish_at=before + timedelta(minutes=5), now=before
    )
    assert not Alert.objects.exists()
    with on_commit():
        services.article_go_live_due()
    assert Alert.objects.filter(article=article).exists()
    assert len(mail.outbox) == 6


def test_admin_confirmation_then_send_once(client, published_article, editor, audience, on_commit):
    client.force_login(editor)
    url = reverse("admin:alerts_alert_send", args=[published_article.pk])
    article_page = reverse("admin:articles_article_change", args=[published_article.pk])
    assert url.encode() in client.get(article_page).content
    page = client.get(url)
    assert page.status_code == 200
    assert b'data-alert-recipients="6"' in page.content
    assert published_article.headline.encode() in page.content
    with on_commit():
        first = client.post(url)
        second = client.post(url)
    alert = Alert.objects.get()
    progress_url = reverse("admin:alerts_alert_change", args=[alert.pk])
    assert first.url == second.url == progress_url
    assert len(mail.outbox) == 6
    progress = client.get(progress_url)
    assert progress.status_code == 200


def test_subscriber_admin_lists_and_exports(client, editor, audience):
    client.force_login(editor)
    assert client.get(reverse("admin:alerts_subscriber_changelist")).status_code == 200
    ids = list(Subscriber.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:alerts_subscriber_changelist"),
        {"action": "export_csv", "_selected_action": ids},
    )
    rows = response.content.decode().splitlines()
    assert rows[0].startswith("email,state") and len(rows) == 1 + len(ids)


@pytest.mark.parametrize("lead", ["=", "+", "-", "@"])
def test_subscriber_export_quotes_what_a_spreadsheet_would_run(client, editor, lead):
    """A cell starting with a formula character is written with a quote in front."""
    subscriber = Subscriber.objects.create(
        email=f"{lead}cmd@example.org", state=State.BOUNCED, bounce_reason=f"{lead}1+1"
    )
    client.force_login(editor)
    response = client.post(
        reverse("admin:alerts_subscriber_changelist"),
        {"action": "export_csv", "_selected_action": [subscriber.pk]},
    )
    (row,) = csv.DictReader(io.StringIO(response.content.decode()))
    assert row["email"] == f"'{lead}cmd@example.org"
    assert row["bounce_reason"] == f"'{lead}1+1"
    assert row["state"] == State.BOUNCED


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.mark.parametrize(("rate", "expected_seconds"), [(5, 1.8), (0, 0)])
def test_sending_rate_limit(settings, rate, expected_seconds):
    settings.ALERTS_RATE_PER_SECOND = rate
    clock = FakeClock()
    pacer = alerting._Pacer(clock=clock, sleep=clock.sleep)
    for _message in range(10):
        pacer.wait()
    assert clock.now - 100.0 == pytest.approx(expected_seconds)


def test_a_long_batch_renews_the_claim_on_its_unsent_rows(
    published_article, editor, audience, settings
):
    """A slow server must not let the claim run out under a live worker: once a third of
    the claim has passed, a flush extends it for the rows not sent yet."""
    settings.ALERTS_CLAIM_SECONDS = 120
    alert, _ = alerting.alert_create(article=published_article, by=editor)
    alerting.alert_plan(alert_id=alert.pk)
    claimed_at = timezone.now() - timedelta(minutes=1)
    first, *rest = batch = alerting._claim(alert.pk, claimed_at)
    clock = FakeClock()
    recorder = alerting._Recorder(batch, clock=clock)
    clock.sleep(30)  # under a third of the claim: a flush writes only what was sent
    recorder.flush()
    claimed = claimed_at + timedelta(seconds=120)
    assert set(Delivery.objects.values_list("claimed_until", flat=True)) == {claimed}
    clock.sleep(11)
    before = timezone.now()
    recorder.sent_one(first.pk)  # a flush is due
    sent = Delivery.objects.get(pk=first.pk)
    assert sent.state == Delivery.State.SENT and sent.claimed_until is None
    renewed = Delivery.objects.filter(pk__in=[delivery.pk for delivery in rest])
    assert len(rest) == 5 and all(
        row.claimed_until >= before + timedelta(seconds=120) for row in renewed
    )


def test_the_admin_refuses_an_alert_to_nobody_and_says_why(client, published_article, editor):
    client.force_login(editor)
    url = reverse("admin:alerts_alert_send", args=[published_article.pk])
    page = client.get(url).content.decode()
    assert 'data-alert-recipients="0"' in page and "would reach nobody" in page
    assert 'type="submit"' not in page.split('id="content-main"')[1]
    response = client.post(url, follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert any("would reach nobody" in message for message in shown)
    assert not any("on its way" in message for message in shown)
    assert not Alert.objects.exists()


def test_a_story_going_live_with_nobody_subscribed_keeps_its_alert(
    editor, section, on_commit, caplog
):
    article = factories.article_create(by=editor, section=section, alert_at_go_live=True)
    with on_commit():
        services.article_publish(article=article, by=editor)
    assert Article.objects.get(pk=article.pk).is_live()
    assert not Alert.objects.exists()
    assert "reach nobody" in caplog.text


def test_every_link_of_an_alert_is_on_the_site_url(
    published_article, editor, audience, on_commit, settings
):
    settings.SITE_URL = "https://news.example.org"
    with on_commit():
        alerting.alert_create(article=published_article, by=editor)
    message = next(m for m in mail.outbox if m.to == ["confirmed@example.org"])
    links = re.findall(r"https?://[^\s<>\"]+", message.body + message.alternatives[0][0])
    assert links and all(link.startswith("https://news.example.org/") for link in links), links
    assert f"https://news.example.org{published_article.get_absolute_url()}" in links
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://news.example.org/")
