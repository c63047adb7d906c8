"""A paginator for lists that grow with the archive: it counts no further than its last page.

Django's Paginator counts every row the list holds on every request, a scan that grows with
the archive; this one counts at most per_page * max_pages (an index scan of bounded length),
so that the first page and the last costs the same whatever lies beyond. A deep page skips
its offset over ids alone (an index-only scan where an index matches the list's filter and
order), then reads its own rows, joins and all, by id.
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

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        by_id = {row.pk: row for row in self.object_list.filter(pk__in=ids)}
        return self._get_page([by_id[pk] for pk in ids], number, self)
