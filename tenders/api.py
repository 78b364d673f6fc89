"""The tenders REST API: the public notices, and the buyer's and supplier's actions.

Thin, in the HackSoft style: each endpoint parses with its nested
InputSerializer, calls one service (which checks the actor's permission
again), and answers with an OutputSerializer. DomainErrors become
problem+json through core.api. Values are cleaned by the services
(tenders/validation.py), so the input serializers only give them shape.
"""

import json

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from accounts.models import Organisation
from core.api import Pagination
from suppliers.models import Supplier

from . import permissions, selectors, services
from .exceptions import TenderNotAllowed, TenderNotFound
from .filters import PublicTenderFilter
from .models import Clarification, Item, Lot, Tender

# --- output shapes ------------------------------------------------------------------------------


class BuyerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_fa = serializers.CharField()

    class Meta:
        ref_name = "TenderBuyer"


class ItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    description = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
    unit = serializers.CharField()
    cpv_code = serializers.CharField()

    class Meta:
        ref_name = "TenderItem"


class LotOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    title_fa = serializers.CharField()
    description = serializers.CharField()
    estimated_value = serializers.DecimalField(max_digits=18, decimal_places=2)
    bid_security_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    items = ItemOutputSerializer(many=True, source="items.all")

    class Meta:
        ref_name = "TenderLot"


class TenderSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    ocid = serializers.CharField()
    title = serializers.CharField()
    title_fa = serializers.CharField()
    buyer = BuyerOutputSerializer()
    procurement_method = serializers.CharField()
    main_category = serializers.CharField()
    cpv_codes = serializers.ListField(child=serializers.CharField())
    estimated_value = serializers.DecimalField(max_digits=18, decimal_places=2)
    currency = serializers.CharField()
    state = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    submission_deadline = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "TenderSummary"


class TenderOutputSerializer(TenderSummaryOutputSerializer):
    description = serializers.CharField()
    description_fa = serializers.CharField()
    document_fee = serializers.DecimalField(max_digits=18, decimal_places=2)
    document_fee_currency = serializers.CharField()
    envelope_scheme = serializers.CharField()
    evaluation_method = serializers.CharField()
    required_documents = serializers.ListField(child=serializers.CharField())
    required_declarations = serializers.ListField(child=serializers.CharField())
    clarification_deadline = serializers.DateTimeField(allow_null=True)
    opening_at = serializers.DateTimeField(allow_null=True)
    cancellation_reason = serializers.CharField()
    lots = LotOutputSerializer(many=True, source="lots.all")
    ocds_record_url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "Tender"

    def get_ocds_record_url(self, tender) -> str | None:
        if tender.published_at is None:
            return None
        return reverse("ocds-record", args=[tender.ocid])


class ClarificationOutputSerializer(serializers.Serializer):
    """A question and its answer, without who asked (never public)."""

    number = serializers.IntegerField()
    question = serializers.CharField()
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)

    class Meta:
        ref_name = "TenderClarification"


class AmendmentOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    summary = serializers.CharField()
    material = serializers.BooleanField()
    changes = serializers.DictField(
        help_text=(
            "{field: {from, to}}; and under `documents`, a list of "
            "{change: added|new_version|withdrawn, title, version, original_name, size, sha256}"
        )
    )
    notice = serializers.CharField()

    class Meta:
        ref_name = "TenderAmendment"


DATETIME_FIELDS = {"clarification_deadline", "submission_deadline", "opening_at"}


# --- lookups ------------------------------------------------------------------------------------


def _public_tender(pk) -> Tender:
    return selectors.public_tender_detail(pk=pk)


def _tender_for(user, pk) -> Tender:
    """A tender the caller may see: public, or an unpublished one of the caller's buyer."""
    try:
        return selectors.public_tender_detail(pk=pk)
    except TenderNotFound:
        tender = selectors.tender_for_buyer(pk=pk)
        if tender is None or not permissions.can_view_unpublished(user, tender):
            raise TenderNotFound() from None
        return tender


def _users(ids):
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}
    missing = [pk for pk in ids if pk not in users]
    if missing:
        raise serializers.ValidationError({"users": [_("Unknown user: %s") % missing[0]]})
    return [users[pk] for pk in ids]


def _detail(tender: Tender, *, user, status_code=status.HTTP_200_OK) -> Response:
    return Response(TenderOutputSerializer(_tender_for(user, tender.pk)).data, status=status_code)


# --- public ------------------------------------------------------------------------------------


class TenderListApi(generics.ListAPIView):
    """Published tenders (and those that ended after publication), newest first."""

    permission_classes = [AllowAny]
    serializer_class = TenderSummaryOutputSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = PublicTenderFilter

    def get_queryset(self):
        return selectors.public_tenders()

    @extend_schema(
        operation_id="tenders_list",
        summary=_("Public tenders, with search and filters"),
        responses={200: TenderSummaryOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


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
        estimated_value = serializers.DecimalField(max_digits=18, decimal_places=2)
        currency = serializers.CharField(required=False)
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

    @extend_schema(
        operation_id="tenders_create",
        summary=_("Start a draft tender (a procurement officer of the buyer)"),
        request=InputSerializer,
        responses={201: TenderOutputSerializer},
    )
    def post(self, request):
        data = _draft_fields(self.InputSerializer, request)
        buyer = get_object_or_404(Organisation, pk=data.pop("buyer"))
        tender = services.tender_create(actor=request.user, buyer=buyer, **data)
        return _detail(tender, user=request.user, status_code=status.HTTP_201_CREATED)


def _draft_fields(input_serializer, request, *, partial=False) -> dict:
    serializer = input_serializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    if data.get("approver") is not None:
        data["approver"] = _users([data["approver"]])[0]
    for name in ("opening_committee", "evaluation_committee"):
        if name in data:
            data[name] = _users(data[name])
    return data


class TenderDetailApi(APIView):
    permission_classes = [AllowAny]

    class InputSerializer(TenderCreateApi.InputSerializer):
        class Meta:
            ref_name = "TenderUpdateInput"

        buyer = None

    @extend_schema(
        operation_id="tenders_retrieve",
        summary=_("A tender's notice: public once published; drafts for the buyer's people"),
        responses={200: TenderOutputSerializer},
    )
    def get(self, request, pk):
        return Response(TenderOutputSerializer(_tender_for(request.user, pk)).data)

    @extend_schema(
        operation_id="tenders_update",
        summary=_("Change a draft (only the fields sent)"),
        request=InputSerializer,
        responses={200: TenderOutputSerializer},
    )
    def patch(self, request, pk):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        tender = _tender_for(request.user, pk)
        data = _draft_fields(self.InputSerializer, request, partial=True)
        services.tender_update(actor=request.user, tender=tender, **data)
        return _detail(tender, user=request.user)


class TenderClarificationsApi(APIView):
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClarificationAskInput"

        supplier = serializers.IntegerField(help_text="The supplier the caller asks for.")
        question = serializers.CharField()

    @extend_schema(
        operation_id="tenders_clarifications_list",
        summary=_("The tender's answered questions (who asked is never shown)"),
        responses={200: ClarificationOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = _public_tender(pk)
        return Response(ClarificationOutputSerializer(tender.public_clarifications, many=True).data)

    @extend_schema(
        operation_id="tenders_clarifications_ask",
        summary=_("Ask a question, for a verified supplier, before the clarification deadline"),
        request=InputSerializer,
        responses={201: ClarificationOutputSerializer},
    )
    def post(self, request, pk):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = _public_tender(pk)
        supplier = get_object_or_404(Supplier, pk=serializer.validated_data["supplier"])
        clarification = services.clarification_ask(
            actor=request.user,
            tender=tender,
            supplier=supplier,
            question=serializer.validated_data["question"],
        )
        return Response(
            ClarificationOutputSerializer(clarification).data, status=status.HTTP_201_CREATED
        )


class ClarificationAnswerApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClarificationAnswerInput"

        answer = serializers.CharField()

    @extend_schema(
        operation_id="tenders_clarifications_answer",
        summary=_("Answer a question: published to all, followers told"),
        request=InputSerializer,
        responses={200: ClarificationOutputSerializer},
    )
    def post(self, request, pk, number):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clarification = get_object_or_404(Clarification, tender_id=pk, number=number)
        clarification = services.clarification_answer(
            actor=request.user, clarification=clarification, **serializer.validated_data
        )
        return Response(ClarificationOutputSerializer(clarification).data)


class _JsonObjectField(serializers.DictField):
    """A JSON object: in a multipart request, its JSON text (or `name.<key>` parts)."""

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return dictionary.get(self.field_name)
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("not_a_dict", input_type="text")
        return super().to_internal_value(data)


AMEND_PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="problem+json")


class TenderAmendmentsApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderAmendInput"

        summary = serializers.CharField()
        changes = _JsonObjectField(
            required=False,
            default=dict,
            help_text=(
                "{field: new value}; dates and times in ISO 8601 with their time zone. "
                "In multipart, the object's JSON text."
            ),
        )
        material = serializers.BooleanField(default=False)
        notice = serializers.CharField(required=False, allow_blank=True, default="")
        document_title = serializers.ListField(
            child=serializers.CharField(max_length=300),
            required=False,
            default=list,
            help_text=(
                "Multipart only, one part per new document, in the order of `document_file`: "
                "a new title adds a document, a current title publishes its next version."
            ),
        )
        document_file = serializers.ListField(
            child=serializers.FileField(),
            required=False,
            default=list,
            help_text="Multipart only: the files, one per `document_title`.",
        )
        withdraw = serializers.ListField(
            child=serializers.CharField(max_length=300),
            required=False,
            default=list,
            help_text="Titles of current documents to withdraw (they stay in the history).",
        )

        def validate_changes(self, changes):
            """Parse the date-time fields' text (JSON has no dates); the service checks the rest."""
            parsed = dict(changes)
            for name, value in changes.items():
                if name in DATETIME_FIELDS and isinstance(value, str):
                    try:
                        parsed[name] = serializers.DateTimeField().to_internal_value(value)
                    except serializers.ValidationError as exc:
                        raise serializers.ValidationError({name: exc.detail}) from exc
            return parsed

        def validate(self, data):
            if len(data["document_title"]) != len(data["document_file"]):
                raise serializers.ValidationError(
                    {"document_file": [_("Send one file for each document title.")]}
                )
            titles, files = data.pop("document_title"), data.pop("document_file")
            data["documents"] = list(zip(titles, files, strict=True))
            return data

    @extend_schema(
        operation_id="tenders_amendments_list",
        summary=_("The tender's amendments, oldest first"),
        responses={200: AmendmentOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = _public_tender(pk)
        return Response(AmendmentOutputSerializer(tender.amendments.all(), many=True).data)

    @extend_schema(
        operation_id="tenders_amend",
        summary=_("Publish an amendment (corrigendum) of a published tender"),
        description=(
            "JSON, or multipart/form-data to publish documents too (`document_title` and "
            "`document_file` parts, paired in order; `changes` as JSON text). A change of "
            "the documents makes the amendment material: the minimum period before the "
            "submission deadline applies. Refusals are problem+json: 403 "
            "`tender.permission_denied`; 409 `tender.invalid_transition` (not published); "
            "422 `tender.not_amendable`, `tender.material_amendment_too_late`, "
            "`tender.unknown_document` (withdraw), `tender.invalid_field`, and "
            "`tender.document_rejected` for a refused file, whose `errors` key names the "
            "row: `documents.<index>.file` (0-based). A refusal stores nothing."
        ),
        request={
            "application/json": InputSerializer,
            "multipart/form-data": InputSerializer,
        },
        responses={201: AmendmentOutputSerializer, 409: AMEND_PROBLEM, 422: AMEND_PROBLEM},
    )
    def post(self, request, pk):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amendment = services.tender_amend(
            actor=request.user, tender=_public_tender(pk), **serializer.validated_data
        )
        return Response(AmendmentOutputSerializer(amendment).data, status=status.HTTP_201_CREATED)


class TenderLotsApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LotAddInput"

        class ItemInputSerializer(serializers.Serializer):
            class Meta:
                ref_name = "ItemAddInput"

            description = serializers.CharField()
            quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
            unit = serializers.CharField()
            cpv_code = serializers.CharField(required=False, allow_blank=True)

        title = serializers.CharField()
        title_fa = serializers.CharField(required=False, allow_blank=True)
        description = serializers.CharField(required=False, allow_blank=True)
        estimated_value = serializers.DecimalField(max_digits=18, decimal_places=2)
        bid_security_amount = serializers.DecimalField(
            max_digits=18, decimal_places=2, required=False
        )
        items = ItemInputSerializer(many=True, required=False)

    @extend_schema(
        operation_id="tenders_lots_add",
        summary=_("Add a lot with its items to a draft"),
        request=InputSerializer,
        responses={201: LotOutputSerializer},
    )
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["items"] = [dict(item) for item in data.get("items", [])]
        lot = services.lot_add(actor=request.user, tender=_tender_for(request.user, pk), **data)
        return Response(LotOutputSerializer(lot).data, status=status.HTTP_201_CREATED)


# --- the workflow: one endpoint per transition ----------------------------------------------------


class _ReasonInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "TenderReasonInput"

    reason = serializers.CharField(allow_blank=True)


class TenderSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_submit",
        summary=_("Submit a complete draft for approval"),
        request=None,
        responses={200: TenderOutputSerializer},
    )
    def post(self, request, pk):
        tender = _tender_for(request.user, pk)
        services.tender_submit_for_approval(actor=request.user, tender=tender)
        return _detail(tender, user=request.user)


class TenderApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_approve",
        summary=_("Approve and publish (the designated approver, not the officer)"),
        request=None,
        responses={200: TenderOutputSerializer},
    )
    def post(self, request, pk):
        tender = _tender_for(request.user, pk)
        services.tender_approve_and_publish(actor=request.user, tender=tender)
        return _detail(tender, user=request.user)


class TenderReturnApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_return",
        summary=_("Return a tender to its officer, with reasons"),
        request=_ReasonInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    def post(self, request, pk):
        serializer = _ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = _tender_for(request.user, pk)
        services.tender_return_to_draft(
            actor=request.user, tender=tender, reasons=serializer.validated_data["reason"]
        )
        return _detail(tender, user=request.user)


class TenderCancelApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_cancel",
        summary=_("Cancel a tender before award, with a public reason"),
        request=_ReasonInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    def post(self, request, pk):
        serializer = _ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = _tender_for(request.user, pk)
        services.tender_cancel(
            actor=request.user, tender=tender, reason=serializer.validated_data["reason"]
        )
        return _detail(tender, user=request.user)


class TenderFollowApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_follow",
        summary=_("Follow a public tender (hear about every change)"),
        request=None,
        responses={204: None},
    )
    def post(self, request, pk):
        services.tender_follow(actor=request.user, tender=_public_tender(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="tenders_unfollow",
        summary=_("Stop following a tender"),
        responses={204: None},
    )
    def delete(self, request, pk):
        services.tender_unfollow(actor=request.user, tender=_public_tender(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TenderDeclareUnsuccessfulApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_declare_unsuccessful",
        summary=_("Declare a closed tender unsuccessful, with a public reason"),
        request=_ReasonInputSerializer,
        responses={200: TenderOutputSerializer},
    )
    def post(self, request, pk):
        serializer = _ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = _tender_for(request.user, pk)
        services.tender_declare_unsuccessful(
            actor=request.user, tender=tender, reason=serializer.validated_data["reason"]
        )
        return _detail(tender, user=request.user)


# --- a draft's lots and items -------------------------------------------------------------------


def _lot_of(user, pk, lot_id) -> Lot:
    tender = _tender_for(user, pk)
    return get_object_or_404(Lot, pk=lot_id, tender=tender)


class LotDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "LotUpdateInput"

        title = serializers.CharField()
        title_fa = serializers.CharField(allow_blank=True)
        description = serializers.CharField(allow_blank=True)
        estimated_value = serializers.DecimalField(max_digits=18, decimal_places=2)
        bid_security_amount = serializers.DecimalField(max_digits=18, decimal_places=2)

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
            actor=request.user, lot=_lot_of(request.user, pk, lot_id), **serializer.validated_data
        )
        return Response(LotOutputSerializer(lot).data)

    @extend_schema(
        operation_id="tenders_lots_remove",
        summary=_("Remove a draft's lot and its items (the later lots move up one number)"),
        responses={204: None},
    )
    def delete(self, request, pk, lot_id):
        services.lot_remove(actor=request.user, lot=_lot_of(request.user, pk, lot_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class LotItemsApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_items_add",
        summary=_("Add an item to a draft's lot"),
        request=TenderLotsApi.InputSerializer.ItemInputSerializer,
        responses={201: ItemOutputSerializer},
    )
    def post(self, request, pk, lot_id):
        serializer = TenderLotsApi.InputSerializer.ItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_add(
            actor=request.user, lot=_lot_of(request.user, pk, lot_id), **serializer.validated_data
        )
        return Response(ItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class ItemDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ItemUpdateInput"

        description = serializers.CharField()
        quantity = serializers.DecimalField(max_digits=18, decimal_places=3)
        unit = serializers.CharField()
        cpv_code = serializers.CharField(allow_blank=True)

    def _item(self, request, pk, lot_id, item_id) -> Item:
        return get_object_or_404(Item, pk=item_id, lot=_lot_of(request.user, pk, lot_id))

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


# --- documents ----------------------------------------------------------------------------------


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()
    amendment = serializers.SerializerMethodField(
        help_text="The number of the amendment that published this version; null before."
    )
    withdrawn_by_amendment = serializers.SerializerMethodField(
        help_text="The number of the amendment that withdrew this version, if one did."
    )

    class Meta:
        ref_name = "TenderDocument"

    def get_download_url(self, document) -> str:
        return reverse("tender_admin:document_download", args=[document.tender_id, document.pk])

    def get_amendment(self, document) -> int | None:
        return document.amendment.number if document.amendment_id else None

    def get_withdrawn_by_amendment(self, document) -> int | None:
        withdrawn = document.withdrawn_by_amendment_id
        return document.withdrawn_by_amendment.number if withdrawn else None


class TenderDocumentsApi(APIView):
    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderDocumentUploadInput"

        title = serializers.CharField(help_text="A new title, or a new version of that title.")
        file = serializers.FileField()

    @extend_schema(
        operation_id="tenders_documents_list",
        summary=_("The tender's documents, every version (public once the tender is)"),
        responses={200: DocumentOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = _tender_for(request.user, pk)
        documents = selectors.public_tender_documents(tender)
        return Response(DocumentOutputSerializer(documents, many=True).data)

    @extend_schema(
        operation_id="tenders_documents_upload",
        summary=_("Upload a document to a draft (multipart), or a new version of one"),
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer},
    )
    def post(self, request, pk):
        if not request.user.is_authenticated:
            self.permission_denied(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.tender_document_upload(
            actor=request.user,
            tender=_tender_for(request.user, pk),
            title=serializer.validated_data["title"],
            uploaded=serializer.validated_data["file"],
        )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


# --- platform outages ---------------------------------------------------------------------------


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
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outage = services.outage_record(actor=request.user, **serializer.validated_data)
        return Response(self.OutputSerializer(outage).data, status=status.HTTP_201_CREATED)


# --- the supplier's side: the caller's own lists ------------------------------------------------


class _MineListApi(generics.ListAPIView):
    permission_classes = [IsAuthenticated]
    pagination_class = Pagination
    serializer_class = TenderSummaryOutputSerializer
    model = Tender

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return self.model.objects.none()
        return self.select(user=self.request.user)

    def select(self, *, user):
        raise NotImplementedError


class MyMatchingTendersApi(_MineListApi):
    """Published tenders in the CPV categories of the caller's companies, deadline first."""

    def select(self, *, user):
        return selectors.tenders_matching_user(user=user)

    @extend_schema(
        operation_id="tenders_mine_matching",
        summary=_("Open tenders matching my companies' categories"),
        responses={200: TenderSummaryOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyFollowedTendersApi(_MineListApi):
    """Public tenders the caller follows, deadline first."""

    def select(self, *, user):
        return selectors.followed_tenders(user=user)

    @extend_schema(
        operation_id="tenders_mine_following",
        summary=_("Tenders I follow"),
        responses={200: TenderSummaryOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MyQuestionOutputSerializer(ClarificationOutputSerializer):
    class TenderOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MyQuestionTender"

        id = serializers.IntegerField()
        reference = serializers.CharField()
        title = serializers.CharField()
        title_fa = serializers.CharField()

    tender = TenderOutputSerializer()

    class Meta:
        ref_name = "MyQuestion"


class MyQuestionsApi(_MineListApi):
    """The questions asked for the caller's companies (by anyone in them), newest first."""

    serializer_class = MyQuestionOutputSerializer
    model = Clarification

    def select(self, *, user):
        return selectors.questions_of_user(user=user)

    @extend_schema(
        operation_id="tenders_mine_questions",
        summary=_("My companies' questions and their answers"),
        responses={200: MyQuestionOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# --- restricted tenders: invitations ------------------------------------------------------------

PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="problem+json")


class InvitationOutputSerializer(serializers.Serializer):
    """An invited supplier: for the buyer's people only (who is invited is never public)."""

    class SupplierOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "InvitedSupplier"

        id = serializers.IntegerField()
        legal_name = serializers.CharField()
        legal_name_fa = serializers.CharField()
        registration_number = serializers.CharField()
        country = serializers.CharField()

    supplier = SupplierOutputSerializer()
    invited_at = serializers.DateTimeField()
    invited_by = serializers.IntegerField(source="invited_by_id")

    class Meta:
        ref_name = "TenderInvitation"


def _tender_for_buyer_people(user, pk) -> Tender:
    """A tender whose buyer-side lists the caller may read (404 for another buyer's draft)."""
    tender = Tender.objects.filter(pk=pk).first()
    if tender is None:
        raise TenderNotFound()
    if not permissions.can_view_unpublished(user, tender):
        if tender.is_public:
            raise TenderNotAllowed()
        raise TenderNotFound()
    return tender


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
        tender = _tender_for_buyer_people(request.user, pk)
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
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = _tender_for(request.user, pk)
        supplier = get_object_or_404(Supplier, pk=serializer.validated_data["supplier"])
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
        tender = _tender_for(request.user, pk)
        supplier = get_object_or_404(Supplier, pk=supplier_id)
        services.tender_uninvite(actor=request.user, tender=tender, supplier=supplier)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyInvitedTendersApi(_MineListApi):
    """Published restricted tenders that the caller's companies are invited to, deadline first."""

    def select(self, *, user):
        return selectors.invited_tenders(user=user)

    @extend_schema(
        operation_id="tenders_invited",
        summary=_("Tenders my companies are invited to"),
        responses={200: TenderSummaryOutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
