"""Editors' curation of the reader's site: the standing pages and the front-page pins.

Both show on stored pages: a standing page in the chrome's footer, a pin on the front.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from articles.images import body_pictures_complete
from articles.models import FrontPin, NewsroomPage
from articles.scopes import CHROME, FRONT
from newsroom.page_cache import scopes_changed


@transaction.atomic
def newsroom_page_save(*, page: NewsroomPage, now: datetime | None = None) -> NewsroomPage:
    page.updated_at = now or timezone.now()
    page.full_clean()
    page.body = body_pictures_complete(page.body)
    page.save()
    scopes_changed([CHROME])
    return page


@transaction.atomic
def front_pin_save(*, pin: FrontPin) -> FrontPin:
    pin.full_clean()
    pin.save()
    scopes_changed([FRONT])
    return pin


@transaction.atomic
def front_pin_delete(*, pin: FrontPin) -> None:
    pin.delete()
    scopes_changed([FRONT])
