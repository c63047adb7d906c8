"""The framework floor: the article page's bytes, from memory, through the same middleware.

`make bench` compares the real pages with `floor`, which does no work of its own: the ratio
says how close a page comes to what Django itself costs on this server. `floor_metered` adds
the least any metered page must do, verifying the reader's cookie and making the meter's one
call, so its ratio is the ceiling for an article page whose meter is counted on every view.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from paywall.meters.base import period_for
from paywall.selectors import paywall_settings


@functools.cache
def _page() -> bytes:
    return Path(settings.BENCH_FLOOR_FILE).read_bytes()


@require_safe
def floor(request):
    return HttpResponse(_page())


@require_safe
def floor_metered(request, article_id: int):
    rules = paywall_settings()
    request.paywall.meter.read(
        reader=request.paywall.reader.id,
        article_id=article_id,
        period=period_for(timezone.now()),
        limit=rules.wall_after,
        nudge_from=rules.nudge_from,
    )
    return HttpResponse(_page())
