from celery import shared_task

from articles import renditions, services
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
