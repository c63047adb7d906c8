from celery import shared_task

from paywall import services


@shared_task
def funnel_flush_task():
    """Moves the funnel counters out of Redis into the database and drops expired reads."""
    return services.funnel_flush()
