"""Celery tasks of the alerts. Each keeps the name it was first queued under (`name=`), so
tasks waiting in the broker across a deploy still run."""

from celery import shared_task


@shared_task(
    name="articles.tasks.alert_plan_task",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def alert_plan_task(alert_id: int) -> int:
    """Fill the alert's delivery ledger and queue the sending tasks."""
    from alerts.services import alert_plan

    return alert_plan(alert_id=alert_id)


@shared_task(
    name="articles.tasks.alert_send_task",
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def alert_send_task(self, alert_id: int) -> int:
    """Send claimed batches; after a temporary SMTP failure, retry with back-off."""
    from alerts.services import alert_send_batches

    result = alert_send_batches(alert_id=alert_id)
    if result.retry_in:
        raise self.retry(countdown=result.retry_in, max_retries=None)
    return result.sent


@shared_task(name="articles.tasks.alert_requeue_expired_task", ignore_result=True)
def alert_requeue_expired_task() -> int:
    """Beat: give the claims of dead workers, and finished back-offs, to new tasks."""
    from alerts.services import alert_requeue_expired

    return alert_requeue_expired()


@shared_task(
    name="articles.tasks.subscriber_confirmation_send_task",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def subscriber_confirmation_send_task(subscriber_id: int) -> bool:
    """Mail the double opt-in link to a pending alert subscriber."""
    from alerts.subscriptions import subscriber_confirmation_send

    return subscriber_confirmation_send(subscriber_id=subscriber_id)
