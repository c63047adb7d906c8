"""The framework floor: the article page's bytes, from memory, through the same middleware.

`make bench` compares the real pages with this view, which does no work of its own: the
ratio says how close a page comes to what Django itself costs on this server.
"""

import functools
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe


@functools.cache
def _page() -> bytes:
    return Path(settings.BENCH_FLOOR_FILE).read_bytes()


@require_safe
def floor(request):
    return HttpResponse(_page())
