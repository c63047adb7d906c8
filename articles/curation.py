"""Editors' curation of the reader's site: the standing pages and the front-page pins.

Both show on cached pages (footer, front), so every change moves the content version.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.caching import content_changed
from articles.images import body_pictures_complete
from articles.models import FrontPin, NewsroomPage


@transaction.atomic
def newsroom_page_save(*, page: NewsroomPage, now: datetime | None = None) -> NewsroomPage:
    page.updated_at = now or timezone.now()
    page.full_clean()
    page.body = body_pictures_complete(page.body)
    page.save()
    transaction.on_commit(content_changed)
    return page


@transaction.atomic
def front_pin_save(*, pin: FrontPin) -> FrontPin:
    pin.full_clean()
    pin.save()
    transaction.on_commit(content_changed)
    return pin


@transaction.atomic
def front_pin_delete(*, pin: FrontPin) -> None:
    pin.delete()
    transaction.on_commit(content_changed)
