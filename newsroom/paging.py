"""A paginator for lists that grow with the archive: it counts no further than its last page.

Django's Paginator counts every row the list holds on every request, a scan that grows with
the archive; this one counts at most per_page * max_pages (an index scan of bounded length),
so that the first page and the last costs the same whatever lies beyond.
"""

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, max_pages: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            return self.object_list[: self.per_page * self.max_pages].count()
        return min(len(self.object_list), self.per_page * self.max_pages)
