"""Pages of the public list that cost the same at 100 tenders and at 100,000.

`BoundedPaginator` counts at most `max_pages * per_page` rows (a count that stops
there, without the list's ordering), so the list says "more than 10,000" rather
than counting every public tender on each request; pages beyond the bound are
refused (`PageBeyondBound`), the visitor narrows the search instead. A page finds
its 20 keys first, in the list's order (on PostgreSQL an index-only scan of the
public order index, or a search ranked on narrow rows), then reads those 20 rows
with their buyers: a deep page never reads the rows it skips, and a search sorts
keys and ranks rather than whole rows.
"""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


class PageBeyondBound(EmptyPage):
    """A page past the last one a bounded list shows."""


class BoundedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, max_pages: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_pages = max_pages
        self.max_count = max_pages * per_page

    @cached_property
    def _counted(self) -> int:
        """How many rows there are, up to one more than the bound."""
        if isinstance(self.object_list, QuerySet):
            # No ordering (the count does not need it), only the key: no rank computed.
            return self.object_list.order_by().values("pk")[: self.max_count + 1].count()
        return min(len(self.object_list), self.max_count + 1)

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.max_count)

    @property
    def is_bounded(self) -> bool:
        """Whether there are more rows than the pages show."""
        return self._counted > self.max_count

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage as exc:
            if self.is_bounded and isinstance(number, int | float | str):
                try:
                    beyond = int(number) > self.num_pages
                except ValueError:
                    beyond = False
                if beyond:
                    raise PageBeyondBound(str(exc)) from None
            raise

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if isinstance(self.object_list, QuerySet):
            keys = self.object_list.values("pk")[bottom:top]
            return self._get_page(self.object_list.filter(pk__in=keys), number, self)
        return self._get_page(self.object_list[bottom:top], number, self)
