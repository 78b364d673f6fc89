"""The public debarment list: who is excluded from public procurement, why, and until when."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import countries, selectors

PAGE_SIZE = 50


@require_safe
def debarment_list(request):
    page_obj = Paginator(selectors.debarment_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {"supplier": supplier, "country_name": countries.name(supplier.country)}
        for supplier in page_obj
    ]
    return render(
        request, "suppliers/public/debarment_list.html", {"page_obj": page_obj, "rows": rows}
    )
