"""What the tenders API's endpoints look up: the tender the caller may see, the users named."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.response import Response

from accounts import selectors as accounts_selectors
from accounts.permissions import Perm, has_perm
from suppliers.selectors import supplier_by_pk

from .. import selectors
from ..exceptions import TenderNotAllowed, TenderNotFound
from ..models import Lot, Tender
from .serializers import TenderOutputSerializer


def public_tender(pk) -> Tender:
    return selectors.public_tender_detail(pk=pk)


def tender_for(user, pk) -> Tender:
    """A tender the caller may see: public, or an unpublished one of the caller's buyer."""
    try:
        return selectors.public_tender_detail(pk=pk)
    except TenderNotFound:
        tender = selectors.tender_for_buyer(pk=pk)
        if tender is None or not has_perm(user, Perm.VIEW_UNPUBLISHED_TENDER, tender):
            raise TenderNotFound() from None
        return tender


def tender_for_buyer_people(user, pk) -> Tender:
    """A tender whose buyer-side lists the caller may read (404 for another buyer's draft)."""
    tender = Tender.objects.filter(pk=pk).first()
    if tender is None:
        raise TenderNotFound()
    if not has_perm(user, Perm.VIEW_UNPUBLISHED_TENDER, tender):
        if tender.is_public:
            raise TenderNotAllowed()
        raise TenderNotFound()
    return tender


def lot_of(user, pk, lot_id) -> Lot:
    tender = tender_for(user, pk)
    return get_object_or_404(Lot, pk=lot_id, tender=tender)


def users_named(ids):
    users = accounts_selectors.users_by_pks(ids)
    missing = [pk for pk in ids if pk not in users]
    if missing:
        raise serializers.ValidationError({"users": [_("Unknown user: %s") % missing[0]]})
    return [users[pk] for pk in ids]


def draft_fields(input_serializer, request, *, partial=False) -> dict:
    serializer = input_serializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if data.get("approver") is not None:
        data["approver"] = users_named([data["approver"]])[0]
    for name in ("opening_committee", "evaluation_committee"):
        if name in data:
            data[name] = users_named(data[name])
    return data


def tender_response(tender: Tender, *, user, status_code=status.HTTP_200_OK) -> Response:
    return Response(TenderOutputSerializer(tender_for(user, tender.pk)).data, status=status_code)


def supplier_or_404(pk):
    """The supplier with this id (read through suppliers.selectors), or a 404."""
    supplier = supplier_by_pk(pk)
    if supplier is None:
        raise Http404
    return supplier
