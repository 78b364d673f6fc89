"""Which tender a buyer's page shows: the one the user may prepare, or see (404/403 else)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm

from ..models import Tender


def tender_for_page(request, pk, *, prepare: bool) -> Tender:
    """The tender, if the user may prepare it (`prepare`) or see it; else 404/403."""
    tender = get_object_or_404(Tender.objects.select_related("buyer"), pk=pk)
    perm = Perm.DRAFT_TENDER if prepare else Perm.VIEW_UNPUBLISHED_TENDER
    if not has_perm(request.user, perm, tender):
        raise PermissionDenied(_("You are not allowed to do this."))
    return tender
