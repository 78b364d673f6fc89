"""Which tender a buyer's page shows: the one the user may prepare, or see (404/403 else)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Tender


def tender_for_page(request, pk, *, prepare: bool) -> Tender:
    """The tender, if the user may prepare it (`prepare`) or see it; else 404/403."""
    tender = get_object_or_404(Tender.objects.select_related("buyer"), pk=pk)
    check = permissions.can_prepare if prepare else permissions.can_view_unpublished
    if not check(request.user, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    return tender
