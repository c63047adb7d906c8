from celery import shared_task

from articles import services


@shared_task(ignore_result=True)
def go_live_task() -> int:
    """Beat: run the go-live work of scheduled stories whose moment has come."""
    return services.article_go_live_due()
