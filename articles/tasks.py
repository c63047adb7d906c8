from celery import shared_task

from accounts import subscriptions
from articles import renditions, services
from articles.alerting import services as alerting
from articles.models import Image


@shared_task(ignore_result=True)
def go_live_task() -> int:
    """Beat: run the go-live work of scheduled stories whose moment has come."""
    return services.article_go_live_due()


@shared_task(bind=True, ignore_result=True, max_retries=5)
def image_renditions_task(self, image_id: int) -> None:
    """Make a picture's renditions after upload; a picture deleted meanwhile needs none."""
    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return
    try:
        renditions.image_renditions_create(image=image)
    except OSError as error:
        raise self.retry(exc=error, countdown=2**self.request.retries * 10) from error


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def alert_plan_task(alert_id: int) -> int:
    """Fill the alert's delivery ledger and queue the sending tasks."""
    return alerting.alert_plan(alert_id=alert_id)


@shared_task(bind=True, ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def alert_send_task(self, alert_id: int) -> int:
    """Send claimed batches; after a temporary SMTP failure, retry with back-off."""
    result = alerting.alert_send_batches(alert_id=alert_id)
    if result.retry_in:
        raise self.retry(countdown=result.retry_in, max_retries=None)
    return result.sent


@shared_task(ignore_result=True)
def alert_requeue_expired_task() -> int:
    """Beat: give the claims of dead workers, and finished back-offs, to new tasks."""
    return alerting.alert_requeue_expired()


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def subscriber_confirmation_send_task(subscriber_id: int) -> bool:
    """Mail the double opt-in link to a pending alert subscriber."""
    return subscriptions.subscriber_confirmation_send(subscriber_id=subscriber_id)
