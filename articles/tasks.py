from celery import shared_task


@shared_task(ignore_result=True)
def go_live_task() -> int:
    """Beat: run the go-live work of scheduled stories whose moment has come."""
    from articles.services import article_go_live_due

    return article_go_live_due()


@shared_task(bind=True, ignore_result=True, max_retries=5)
def image_renditions_task(self, image_id: int) -> None:
    """Make a picture's renditions after upload; a picture deleted meanwhile needs none."""
    from articles.models import Image
    from articles.renditions import image_renditions_create

    image = Image.objects.filter(pk=image_id).first()
    if image is None:
        return
    try:
        image_renditions_create(image=image)
    except OSError as error:
        raise self.retry(exc=error, countdown=2**self.request.retries * 10) from error


# An import of a large site runs for many minutes, past the default limits of a task.
IMPORT_TASK_SECONDS = 6 * 3600


@shared_task(
    ignore_result=True, time_limit=IMPORT_TASK_SECONDS + 60, soft_time_limit=IMPORT_TASK_SECONDS
)
def import_job_task(job_id: int) -> None:
    """Run an uploaded import; a copy of this task finds the job taken and does nothing."""
    from articles.importers.jobs import import_job_run

    import_job_run(job_id=job_id)
