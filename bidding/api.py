"""The bids API: submit sealed envelopes, list one's bids and receipts, withdraw, confirm.

Envelopes arrive as multipart parts named by their kind (`single`, or
`technical` and `financial`), each streamed to a temporary file, with an
`Idempotency-Key` header. Every refusal is problem+json; nothing is kept.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Perm, has_perm
from core.api import PublicCheck
from panjere_client.receipts import ReceiptError
from suppliers.selectors import suppliers_for_user
from tenders.selectors import public_tender

from . import selectors, services
from .exceptions import BidNotAllowed, BidNotFound
from .receipts import receipt_verify
from .uploads import EnvelopeUploadHandler


class EnvelopeOutputSerializer(serializers.Serializer):
    kind = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()


class BidOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    tender = serializers.CharField(source="tender.ocid")
    lot = serializers.IntegerField(source="lot.number")
    supplier = serializers.IntegerField(source="supplier_id")
    version = serializers.IntegerField()
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    confirmation_requested = serializers.SerializerMethodField()
    envelopes = EnvelopeOutputSerializer(many=True)
    receipt = serializers.JSONField(source="receipt.document")

    def get_confirmation_requested(self, bid) -> bool:
        return bid.confirmation_requested_by_id is not None


def _lot(tender, number):
    lot = tender.lots.filter(number=number).first()
    if lot is None:
        raise BidNotFound(_("The tender has no lot %(number)s.") % {"number": number})
    return lot


def _supplier(user, requested):
    """The supplier the caller bids for: the one named, or the caller's only company."""
    suppliers = [s for s in suppliers_for_user(user) if has_perm(user, Perm.SUBMIT_BID, s)]
    if requested not in (None, ""):
        chosen = next((s for s in suppliers if str(s.pk) == str(requested)), None)
    else:
        chosen = suppliers[0] if len(suppliers) == 1 else None
    if chosen is None:
        raise BidNotAllowed(params={"permission": str(Perm.SUBMIT_BID)})
    return chosen


class LotBidsApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="bids_submit",
        summary=gettext_lazy("Submit a sealed bid for a lot (multipart: one part per envelope)"),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=gettext_lazy("A key of the client's: a retry never makes two bids."),
            )
        ],
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {
                    "single": {"type": "string", "format": "binary"},
                    "technical": {"type": "string", "format": "binary"},
                    "financial": {"type": "string", "format": "binary"},
                    "supplier": {"type": "integer"},
                },
            }
        },
        responses={200: BidOutputSerializer, 201: BidOutputSerializer},
    )
    def post(self, request, ocid, number):
        request.upload_handlers = [EnvelopeUploadHandler(request)]
        tender = public_tender(ocid=ocid)
        lot = _lot(tender, number)
        supplier = _supplier(request.user, request.data.get("supplier"))
        files = request.FILES
        envelopes = {
            kind: files[kind] for kind in ("single", "technical", "financial") if kind in files
        }
        try:
            submission = services.bid_submit(
                actor=request.user,
                tender=tender,
                lot=lot,
                supplier=supplier,
                envelopes=envelopes,
                idempotency_key=request.headers.get("Idempotency-Key", ""),
            )
        finally:
            for upload in files.values():
                upload.close()
        bid = selectors.bid_of_user(user=request.user, pk=submission.bid.pk)
        return Response(
            BidOutputSerializer(bid).data,
            status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK,
        )

    @extend_schema(
        operation_id="bids_lot_mine",
        summary=gettext_lazy("My company's bids for a lot, every version"),
        responses={200: BidOutputSerializer(many=True)},
    )
    def get(self, request, ocid, number):
        tender = public_tender(ocid=ocid)
        lot = _lot(tender, number)
        bids = selectors.bids_of_user(user=request.user, tender=tender).filter(lot=lot)
        return Response(BidOutputSerializer(bids, many=True).data)


class MyBidsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bids_mine",
        summary=gettext_lazy("My companies' bids, every version, newest first"),
        responses={200: BidOutputSerializer(many=True)},
    )
    def get(self, request):
        return Response(
            BidOutputSerializer(selectors.bids_of_user(user=request.user), many=True).data
        )


class BidDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bids_detail",
        summary=gettext_lazy("One of my bids, with its signed receipt"),
        responses={200: BidOutputSerializer},
    )
    def get(self, request, pk):
        return Response(BidOutputSerializer(selectors.bid_of_user(user=request.user, pk=pk)).data)


class BidReceiptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bids_receipt",
        summary=gettext_lazy("The signed receipt of one of my bids, exactly as issued"),
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, pk):
        return Response(selectors.bid_of_user(user=request.user, pk=pk).receipt.document)


class BidWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bids_withdraw",
        summary=gettext_lazy("Withdraw my current bid (until the deadline)"),
        request=None,
        responses={200: BidOutputSerializer},
    )
    def post(self, request, pk):
        bid = selectors.bid_of_user(user=request.user, pk=pk)
        services.bid_withdraw(actor=request.user, bid=bid)
        return Response(BidOutputSerializer(selectors.bid_of_user(user=request.user, pk=pk)).data)


class BidConfirmApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="bids_confirm",
        summary=gettext_lazy("Confirm my bid as it is after a material amendment"),
        request=None,
        responses={200: BidOutputSerializer},
    )
    def post(self, request, pk):
        bid = selectors.bid_of_user(user=request.user, pk=pk)
        services.bid_confirm(actor=request.user, bid=bid)
        return Response(BidOutputSerializer(selectors.bid_of_user(user=request.user, pk=pk)).data)


class ReceiptVerifyApi(APIView):
    """Anyone may check a receipt against the platform's published keys."""

    permission_classes = [PublicCheck]
    authentication_classes = []

    @extend_schema(
        operation_id="bids_receipt_verify",
        summary=gettext_lazy("Check a bid receipt's signature (public)"),
        request=OpenApiTypes.OBJECT,
        responses={
            200: inline_serializer(
                "ReceiptVerification",
                {
                    "valid": serializers.BooleanField(),
                    "reason": serializers.CharField(allow_blank=True),
                    "detail": serializers.CharField(allow_blank=True),
                },
            )
        },
    )
    def post(self, request):
        try:
            receipt_verify(request.data)
        except ReceiptError as error:
            return Response({"valid": False, "reason": type(error).__name__, "detail": str(error)})
        return Response({"valid": True, "reason": "", "detail": ""})
