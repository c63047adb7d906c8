"""Writes for breaking alerts: create, plan the ledger, claim and send batches, requeue.

The ledger (`Delivery`) is the truth: a row is sent, failed or pending. Pending rows are
claimed by one worker at a time (`claimed_until`); a worker that dies stops renewing its
claims, they expire, and `alert_requeue_expired` hands them to a new task.
"""

import logging
import smtplib
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts import conf
from alerts.emails import AlertEmail
from alerts.models import Alert, Delivery, Subscriber
from alerts.subscriptions import subscriber_bounce
from alerts.tasks import alert_plan_task, alert_send_task
from articles.models import LIVE_STATUSES, Article, WorkflowEvent

logger = logging.getLogger(__name__)
Pending = Q(state=Delivery.State.PENDING)


def _queue(task, *args, times: int = 1) -> None:
    for _n in range(times):
        task.delay(*args)


def _batches(count: int) -> int:
    return -(-count // conf.BATCH_SIZE)


@transaction.atomic
def alert_create(*, article: Article, by, now: datetime | None = None) -> tuple[Alert, bool]:
    """The editor's click: one alert per article however often it is asked for, and none
    while nobody would get it (the story keeps its one alert for when someone would).

    Returns fast whatever the audience: planning runs in a task queued on commit.
    """
    if by is not None and not by.has_perm("articles.send_alert"):
        raise PermissionDenied(_("You are not allowed to send alerts."))
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_live(now):
        raise ValidationError(_("Only a published story can be sent as an alert."))
    if not Alert.objects.filter(article=article).exists() and not _audience_exists():
        raise ValidationError(
            _(
                "No one has confirmed an alert subscription yet, so this alert would reach "
                "nobody. It was not sent, and the story can still be alerted later."
            ),
            code="no_audience",
        )
    alert, created = Alert.objects.get_or_create(
        article=article, defaults={"created_by": by, "created_at": now or timezone.now()}
    )
    if created:
        WorkflowEvent.objects.create(
            article=article, action=WorkflowEvent.Action.ALERT_SENT, actor=by
        )
        transaction.on_commit(lambda: _queue(alert_plan_task, alert.pk))
    return alert, created


def _audience_exists() -> bool:
    return Subscriber.objects.receiving().exists()


def alert_plan(*, alert_id: int, now: datetime | None = None) -> int:
    """Insert one ledger row per confirmed subscriber, then queue one send task per batch.

    Safe to repeat: rows already there are left alone and the tasks only claim what is due.
    """
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert_id)
        if alert.planned_at is None:
            if not _article_pulled(alert.article_id):  # pulled before planning: to nobody
                _plan_rows(alert_id)
            alert.planned = alert.deliveries.count()
            alert.planned_at = now or timezone.now()
            alert.save(update_fields=["planned", "planned_at"])
        pending = alert.deliveries.filter(Pending).count()
        transaction.on_commit(lambda: _queue(alert_send_task, alert_id, times=_batches(pending)))
    if not pending:
        _finish_if_done(alert_id)
    return pending


def _plan_rows(alert_id: int) -> None:
    """Bulk inserts in chunks, walking the audience by primary key."""
    audience = Subscriber.objects.receiving().order_by("pk").values_list("pk", flat=True)
    last = 0
    while chunk := list(audience.filter(pk__gt=last)[: conf.PLAN_CHUNK]):
        Delivery.objects.bulk_create(
            [Delivery(alert_id=alert_id, subscriber_id=pk) for pk in chunk],
            ignore_conflicts=True,
        )
        last = chunk[-1]


def _claim(alert_id: int, now: datetime) -> list[Delivery]:
    """Take up to a batch of due rows; rows another worker holds locked are skipped."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(Pending, Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
            .filter(alert_id=alert_id)
            .order_by("pk")
            .values_list("pk", flat=True)[: conf.BATCH_SIZE]
        )
        Delivery.objects.filter(pk__in=ids).update(
            claimed_until=now + timedelta(seconds=conf.CLAIM_SECONDS)
        )
    return list(
        Delivery.objects.filter(pk__in=ids)
        .select_related("subscriber")
        .only("pk", "attempts", "subscriber__email", "subscriber__state")
        .order_by("pk")
    )


class _Recorder:
    """Writes sent rows in small groups and renews the claim on the rest of the batch."""

    def __init__(self, batch: list[Delivery], clock=time.monotonic):
        self.unsent = {delivery.pk for delivery in batch}
        self.sent: list[int] = []
        self.clock = clock
        self.flushed_at = self.renewed_at = clock()

    def sent_one(self, delivery_id: int) -> None:
        self.sent.append(delivery_id)
        self.unsent.discard(delivery_id)
        due = self.clock() - self.flushed_at >= conf.FLUSH_SECONDS
        if due or len(self.sent) >= conf.FLUSH_MESSAGES:
            self.flush()

    def done_one(self, delivery_id: int, **fields) -> None:
        self.unsent.discard(delivery_id)
        Delivery.objects.filter(pk=delivery_id).update(claimed_until=None, **fields)

    def flush(self) -> None:
        now = timezone.now()
        if self.sent:
            Delivery.objects.filter(pk__in=self.sent).update(  # an earlier try's error too
                state=Delivery.State.SENT, sent_at=now, claimed_until=None, error=""
            )
            self.sent = []
        self.flushed_at = self.clock()
        # A slow server must not let a live claim expire; renewing at every flush would
        # double the writes for nothing.
        if self.unsent and self.flushed_at - self.renewed_at > conf.CLAIM_SECONDS / 3:
            Delivery.objects.filter(Pending, pk__in=self.unsent).update(
                claimed_until=now + timedelta(seconds=conf.CLAIM_SECONDS)
            )
            self.renewed_at = self.flushed_at


class _Pacer:
    """Keeps one process under the configured messages per second."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        rate = conf.RATE_PER_SECOND
        self.interval = 1 / rate if rate else 0
        self.clock, self.sleep = clock, sleep
        self.next_at = clock()

    def wait(self) -> None:
        if not self.interval:
            return
        delay = self.next_at - self.clock()
        if delay > 0:
            self.sleep(delay)
        self.next_at = max(self.next_at, self.clock()) + self.interval


@contextmanager
def _smtp_session():
    """One connection of the configured email backend for a whole batch; yields `send`.

    On the SMTP backend the message goes straight to smtplib: Django's backend would parse
    again both addresses of every message, which this code has just built itself.
    """
    with get_connection(fail_silently=False) as backend:
        if isinstance(backend, SMTPBackend):
            smtp = backend.connection
            yield lambda message: smtp.sendmail(
                message.from_email, message.to, message.message().as_bytes(linesep="\r\n")
            )
        else:
            yield lambda message: backend.send_messages([message])


@dataclass
class BatchResult:
    sent: int = 0
    failed: int = 0
    retry_in: int = 0


class _TemporaryFailure(Exception):
    pass


def _refusal(error: Exception, email: str) -> tuple[int, str]:
    """The SMTP code and text of a refused message, 0 when the server gave none."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = error.recipients.get(email, (0, b""))
    else:
        code, text = getattr(error, "smtp_code", 0), getattr(error, "smtp_error", b"")
    if isinstance(text, bytes):
        text = text.decode(errors="replace")
    return code, f"{code} {text}".strip()


def alert_send_batches(*, alert_id: int) -> BatchResult:
    """Claim batches and send them over one SMTP connection, recording each acceptance.

    Claims the next batch for as long as there is work, up to `TASK_SECONDS`: the worker
    keeps its connection and its rendered email from one batch to the next.
    """
    result = BatchResult()
    alert = Alert.objects.select_related("article__lead_image").get(pk=alert_id)
    if _article_pulled(alert.article_id):
        alert_withdraw(article_id=alert.article_id)
        return result
    batch = _claim(alert_id, timezone.now())
    if not batch:
        _finish_if_done(alert_id)
        return result
    email = AlertEmail(alert.article)
    recorder = _Recorder(batch)
    pacer = _Pacer()
    watch = _PullWatch(alert.article_id)
    deadline = time.monotonic() + conf.TASK_SECONDS
    try:
        with _smtp_session() as send:
            while batch:
                recorder = _Recorder(batch)
                for delivery in batch:
                    subscriber = delivery.subscriber
                    if subscriber.state != Subscriber.State.CONFIRMED:
                        recorder.done_one(
                            delivery.pk, state=Delivery.State.FAILED, error=subscriber.state
                        )
                        result.failed += 1
                        continue
                    pacer.wait()
                    if watch.pulled():
                        raise _Pulled
                    message = email.message(subscriber_id=subscriber.pk, email=subscriber.email)
                    try:
                        send(message)
                    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
                        code, reason = _refusal(error, subscriber.email)
                        if code < 500:
                            raise _TemporaryFailure(reason) from error
                        if isinstance(error, smtplib.SMTPRecipientsRefused):  # the address
                            subscriber_bounce(subscriber_id=subscriber.pk, reason=reason)
                        recorder.done_one(
                            delivery.pk, state=Delivery.State.FAILED, error=reason[:300]
                        )
                        result.failed += 1
                        continue
                    recorder.sent_one(delivery.pk)
                    result.sent += 1
                recorder.flush()
                more = time.monotonic() < deadline and not _article_pulled(alert.article_id)
                batch = _claim(alert_id, timezone.now()) if more else []
    except _Pulled:
        recorder.flush()
        result.failed += alert_withdraw(article_id=alert.article_id)
        return result
    except (_TemporaryFailure, smtplib.SMTPException, OSError) as error:
        logger.warning("Alert %s: temporary failure, backing off: %s", alert_id, error)
        recorder.flush()
        result.failed += _defer(recorder.unsent, str(error))
        result.retry_in = _backoff(max(delivery.attempts for delivery in batch))
        return result
    _finish_if_done(alert_id)
    return result


WITHDRAWN = "withdrawn: the story was unpublished"


def _article_pulled(article_id: int) -> bool:
    """By its status alone: the publish time against this worker's clock could read a story
    just published on another host as not live yet."""
    return not Article.objects.filter(pk=article_id, status__in=LIVE_STATUSES).exists()


class _Pulled(Exception):
    pass


class _PullWatch:
    """Whether the story was pulled, asked of the database at most every FLUSH_SECONDS."""

    def __init__(self, article_id: int):
        self.article_id = article_id
        self.asked_at = time.monotonic()

    def pulled(self) -> bool:
        now = time.monotonic()
        if now - self.asked_at < conf.FLUSH_SECONDS:
            return False
        self.asked_at = now
        return _article_pulled(self.article_id)


def alert_withdraw(*, article_id: int) -> int:
    """A pulled story's alert sends no more: its unsent deliveries fail, and a worker that is
    sending stops within FLUSH_SECONDS."""
    withdrawn = Delivery.objects.filter(Pending, alert__article_id=article_id).update(
        state=Delivery.State.FAILED, claimed_until=None, error=WITHDRAWN
    )
    for alert_id in Alert.objects.filter(article_id=article_id).values_list("pk", flat=True):
        _finish_if_done(alert_id)
    return withdrawn


def _backoff(attempts: int) -> int:
    """Seconds to wait before the next try of a row already tried `attempts` times."""
    return min(conf.RETRY_BASE_SECONDS * 2**attempts, conf.RETRY_MAX_SECONDS)


def _defer(delivery_ids: set[int], reason: str) -> int:
    """Put unsent rows back after a temporary failure; give up on those out of attempts.

    Returns how many were given up.
    """
    rows = Delivery.objects.filter(Pending, pk__in=delivery_ids)
    gave_up = rows.filter(attempts__gte=conf.MAX_ATTEMPTS - 1).update(
        state=Delivery.State.FAILED, claimed_until=None, error=reason[:300]
    )
    for (attempts,) in rows.values_list("attempts").distinct():
        rows.filter(attempts=attempts).update(
            attempts=attempts + 1,
            claimed_until=timezone.now() + timedelta(seconds=_backoff(attempts)),
            error=reason[:300],
        )
    return gave_up


def _finish_if_done(alert_id: int) -> None:
    if not Delivery.objects.filter(Pending, alert_id=alert_id).exists():
        Alert.objects.filter(
            pk=alert_id, planned_at__isnull=False, finished_at__isnull=True
        ).update(finished_at=timezone.now())


def alert_requeue_expired(*, now: datetime | None = None) -> int:
    """Beat: hand rows whose claim ran out (a dead worker, a back-off over) to new tasks.

    Also revives alerts whose queued tasks were lost with a worker (nothing claimed, nothing
    sent for a claim's length) and re-plans alerts whose planning task was lost. Extra tasks
    are harmless: they find nothing to claim. Returns the number of tasks queued.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=conf.CLAIM_SECONDS)
    due = {
        row["alert_id"]: row["count"]
        for row in Delivery.objects.filter(Pending, claimed_until__lte=now)
        .values("alert_id")
        .annotate(count=Count("pk"))
    }
    for alert in Alert.objects.filter(planned_at__lte=stale, finished_at__isnull=True):
        if _stalled(alert, now, stale):
            due[alert.pk] = alert.deliveries.filter(Pending).count()
        _finish_if_done(alert.pk)
    for alert_id, count in due.items():
        _queue(alert_send_task, alert_id, times=_batches(count))
    lost_plans = list(
        Alert.objects.filter(planned_at__isnull=True, created_at__lte=stale).values_list(
            "pk", flat=True
        )
    )
    for alert_id in lost_plans:
        _queue(alert_plan_task, alert_id)
    return sum(_batches(count) for count in due.values()) + len(lost_plans)


def _stalled(alert: Alert, now: datetime, stale: datetime) -> bool:
    """Pending rows, yet no live claim and nothing sent for as long as a claim lasts."""
    deliveries = alert.deliveries
    return (
        deliveries.filter(Pending).exists()
        and not deliveries.filter(Pending, claimed_until__gt=now).exists()
        and not deliveries.filter(sent_at__gt=stale).exists()
    )
