"""The tenders API of the buyer's people: prepare a draft, run the workflow, invite, amend.

Each endpoint parses with its nested InputSerializer, calls one service (which
checks the actor's permission again) and answers with an output serializer.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import organisation_by_pk
from core.api import MoneyField
from core.idempotency import idempotent

from .. import selectors, services
from ..models import Clarification, Item
from .lookups import (
    draft_fields,
    lot_of,
    supplier_or_404,
    tender_for,
    tender_for_buyer_people,
    tender_response,
)
from .serializers import (
    PROBLEM,
    ClarificationOutputSerializer,
    InvitationOutputSerializer,
    ItemOutputSerializer,
    LotOutputSerializer,
    TenderOutputSerializer,
)

BILINGUAL_HELP = (
    "In English; its pair `_fa` is in Persian. Either may be empty, not both "
    "(422 tender.invalid_field)."
)
UNIT_HELP = (
    "A UN/ECE Recommendation 20 code (KGM, MTK, H87, ...: GET /api/v1/tenders/units/) or a common "
    "spelling of one (kg, m², متر مربع), stored as the code; any other text is refused (422)."
)


class TenderCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderCreateInput"

        buyer = serializers.IntegerField()
        reference = serializers.CharField()
        title = serializers.CharField()
        title_fa = serializers.CharField(required=False, allow_blank=True)
        description = serializers.CharField(required=False, allow_blank=True)
        description_fa = serializers.CharField(required=False, allow_blank=True)
        procurement_method = serializers.CharField()
        main_category = serializers.CharField()
        cpv_code = serializers.CharField()
        additional_cpv_codes = serializers.ListField(child=serializers.CharField(), required=False)
        estimated_value = MoneyField()
        document_fee = MoneyField(required=False)
        clarification_deadline = serializers.DateTimeField(required=False, allow_null=True)
        submission_deadline = serializers.DateTimeField(required=False, allow_null=True)
        opening_at = serializers.DateTimeField(required=False, allow_null=True)
        opening_threshold = serializers.IntegerField(required=False, allow_null=True)
        approver = serializers.IntegerField(required=False, allow_null=True)
        opening_committee = serializers.ListField(child=serializers.IntegerField(), required=False)
        evaluation_committee = serializers.ListField(
            child=serializers.IntegerField(), required=False
        )
        required_documents = serializers.ListField(child=serializers.CharField(), required=False)
        required_declarations = serializers.ListField(child=serializers.CharField(), required=False)
        required_declarations_fa = serializers.ListField(
            child=serializers.CharField(), required=False
        )

    @extend_schema(
        operation_id="tenders_create",
        summary=_("Start a draft tender (a procurement officer of the buyer)"),
        request=InputSerializer,
        responses={201: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request):
        data = draft_fields(self.InputSerializer, request)
        buyer = organisation_by_pk(data.pop("buyer"))
        if buyer is None:
            raise Http404
        tender = services.tender_create(actor=request.user, buyer=buyer, **data)
        return tender_response(tender, user=request.user, status_code=status.HTTP_201_CREATED)


class ClarificationAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClarificationAnswerInput"

        answer = serializers.CharField(
            allow_blank=True,
            help_text=(
                "Alone, kept in the language it is written in; with answer_fa, the English."
            ),
        )
        answer_fa = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        operation_id="tenders_clarifications_answer",
        summary=_("Answer a question: published to all, followers told"),
        request=InputSerializer,
        responses={200: ClarificationOutputSerializer},
    )
    @idempotent
    def post(self, request, pk, number):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clarification = get_object_or_404(Clarification, tender_id=pk, number=number)
        clarification = services.clarification_answer(
            actor=request.user, clarification=clarification, **serializer.validated_data
        )
        return Response(ClarificationOutputSerializer(clarification).data)


class TenderLotsApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LotAddInput"

        class ItemInputSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ItemAddInput"

            description = serializers.CharField(
                required=False, allow_blank=True, help_text=BILINGUAL_HELP
            )
            description_fa = serializers.CharField(required=False, allow_blank=True)
            quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
            unit = serializers.CharField(help_text=UNIT_HELP)
            cpv_code = serializers.CharField(required=False, allow_blank=True)

        title = serializers.CharField(required=False, allow_blank=True, help_text=BILINGUAL_HELP)
        title_fa = serializers.CharField(required=False, allow_blank=True)
        description = serializers.CharField(required=False, allow_blank=True)
        description_fa = serializers.CharField(required=False, allow_blank=True)
        estimated_value = MoneyField()
        bid_security = MoneyField(
            required=False, help_text="Omitted: zero in the estimated value's currency."
        )
        items = ItemInputSerializer(many=True, required=False)

    @extend_schema(
        operation_id="tenders_lots_add",
        summary=_("Add a lot with its items to a draft"),
        request=InputSerializer,
        responses={201: LotOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["items"] = [dict(item) for item in data.get("items", [])]
        lot = services.lot_add(actor=request.user, tender=tender_for(request.user, pk), **data)
        return Response(LotOutputSerializer(lot).data, status=status.HTTP_201_CREATED)


class LotDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LotUpdateInput"

        title = serializers.CharField(allow_blank=True, help_text=BILINGUAL_HELP)
        title_fa = serializers.CharField(allow_blank=True)
        description = serializers.CharField(allow_blank=True)
        description_fa = serializers.CharField(allow_blank=True)
        estimated_value = MoneyField()
        bid_security = MoneyField()

    @extend_schema(
        operation_id="tenders_lots_update",
        summary=_("Change a draft's lot (only the fields sent)"),
        request=InputSerializer,
        responses={200: LotOutputSerializer},
    )
    def patch(self, request, pk, lot_id):
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        lot = services.lot_update(
            actor=request.user, lot=lot_of(request.user, pk, lot_id), **serializer.validated_data
        )
        return Response(LotOutputSerializer(lot).data)

    @extend_schema(
        operation_id="tenders_lots_remove",
        summary=_("Remove a draft's lot and its items (the later lots move up one number)"),
        responses={204: None},
    )
    def delete(self, request, pk, lot_id):
        services.lot_remove(actor=request.user, lot=lot_of(request.user, pk, lot_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LotItemsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_items_add",
        summary=_("Add an item to a draft's lot"),
        request=TenderLotsApi.InputSerializer.ItemInputSerializer,
        responses={201: ItemOutputSerializer},
    )
    @idempotent
    def post(self, request, pk, lot_id):
        serializer = TenderLotsApi.InputSerializer.ItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_add(
            actor=request.user, lot=lot_of(request.user, pk, lot_id), **serializer.validated_data
        )
        return Response(ItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ItemUpdateInput"

        description = serializers.CharField(allow_blank=True, help_text=BILINGUAL_HELP)
        description_fa = serializers.CharField(allow_blank=True)
        quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
        unit = serializers.CharField(help_text=UNIT_HELP)
        cpv_code = serializers.CharField(allow_blank=True)

    def _item(self, request, pk, lot_id, item_id) -> Item:
        return get_object_or_404(Item, pk=item_id, lot=lot_of(request.user, pk, lot_id))

    @extend_schema(
        operation_id="tenders_items_update",
        summary=_("Change an item of a draft's lot (only the fields sent)"),
        request=InputSerializer,
        responses={200: ItemOutputSerializer},
    )
    def patch(self, request, pk, lot_id, item_id):
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        item = services.item_update(
            actor=request.user,
            item=self._item(request, pk, lot_id, item_id),
            **serializer.validated_data,
        )
        return Response(ItemOutputSerializer(item).data)

    @extend_schema(
        operation_id="tenders_items_remove",
        summary=_("Remove an item from a draft's lot"),
        responses={204: None},
    )
    def delete(self, request, pk, lot_id, item_id):
        services.item_remove(actor=request.user, item=self._item(request, pk, lot_id, item_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ReasonInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TenderReasonInput"

    reason = serializers.CharField(allow_blank=True)


class _CancelInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TenderCancelInput"

    reason = serializers.CharField(
        allow_blank=True,
        help_text=(
            "The public reason. Alone, kept in the language it is written in; with reason_fa, "
            "the English."
        ),
    )
    reason_fa = serializers.CharField(required=False, allow_blank=True)


class TenderSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_submit",
        summary=_("Submit a complete draft for approval"),
        request=None,
        responses={200: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        tender = tender_for(request.user, pk)
        services.tender_submit_for_approval(actor=request.user, tender=tender)
        return tender_response(tender, user=request.user)


class TenderApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_approve",
        summary=_("Approve and publish (the designated approver, not the officer)"),
        request=None,
        responses={200: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        tender = tender_for(request.user, pk)
        services.tender_approve_and_publish(actor=request.user, tender=tender)
        return tender_response(tender, user=request.user)


class TenderReturnApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_return",
        summary=_("Return a tender to its officer, with reasons"),
        request=_ReasonInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        serializer = _ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = tender_for(request.user, pk)
        services.tender_return_to_draft(
            actor=request.user, tender=tender, reasons=serializer.validated_data["reason"]
        )
        return tender_response(tender, user=request.user)


class TenderCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_cancel",
        summary=_("Cancel a tender before award, with a public reason"),
        request=_CancelInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        serializer = _CancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = tender_for(request.user, pk)
        services.tender_cancel(
            actor=request.user,
            tender=tender,
            reason=serializer.validated_data["reason"],
            reason_fa=serializer.validated_data.get("reason_fa", ""),
        )
        return tender_response(tender, user=request.user)


class TenderDeclareUnsuccessfulApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_declare_unsuccessful",
        summary=_("Declare a closed tender unsuccessful, with a public reason"),
        request=_ReasonInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        serializer = _ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = tender_for(request.user, pk)
        services.tender_declare_unsuccessful(
            actor=request.user, tender=tender, reason=serializer.validated_data["reason"]
        )
        return tender_response(tender, user=request.user)


class TenderInvitationsApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderInviteInput"

        supplier = serializers.IntegerField(help_text="The supplier to invite (its id).")

    @extend_schema(
        operation_id="tenders_invitations_list",
        summary=_("A restricted tender's invited suppliers (the buyer's people only)"),
        responses={200: InvitationOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = tender_for_buyer_people(request.user, pk)
        return Response(
            InvitationOutputSerializer(selectors.tender_invitations(tender=tender), many=True).data
        )

    @extend_schema(
        operation_id="tenders_invitations_add",
        summary=_("Invite a supplier that may bid now to a restricted draft (its officer)"),
        description=(
            "409 `tender.not_restricted`, `tender.not_editable`, `tender.already_invited`; "
            "422 `tender.supplier_not_eligible` lists why in `params.reasons`."
        ),
        request=InputSerializer,
        responses={201: InvitationOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    @idempotent
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = tender_for(request.user, pk)
        supplier = supplier_or_404(serializer.validated_data["supplier"])
        invitation = services.tender_invite(actor=request.user, tender=tender, supplier=supplier)
        return Response(InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED)


class TenderInvitationDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_invitations_remove",
        summary=_("Withdraw a supplier's invitation to a restricted draft (its officer)"),
        description="409 `tender.not_restricted`, `tender.not_editable`.",
        responses={204: None, 409: PROBLEM},
    )
    def delete(self, request, pk, supplier_id):
        tender = tender_for(request.user, pk)
        supplier = supplier_or_404(supplier_id)
        services.tender_uninvite(actor=request.user, tender=tender, supplier=supplier)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OutageApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "OutageRecordInput"

        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Outage"

        id = serializers.IntegerField()
        starts_at = serializers.DateTimeField()
        ends_at = serializers.DateTimeField()
        reason = serializers.CharField()
        recorded_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="tenders_outages_record",
        summary=_("Record a past platform outage; deadlines inside it are extended (admins)"),
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    @idempotent
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outage = services.outage_record(actor=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(outage).data, status=status.HTTP_201_CREATED)
