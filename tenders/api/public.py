"""The tenders API's notice and its parts, read by anyone once the tender is public.

The same addresses take the writes of those who own each part (a draft's
changes, an amendment, a document, a question), each checked by its service.
"""

import json

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.utils import html
from rest_framework.views import APIView

from core import units
from core.api import PUBLIC_READ_SIGNED_IN_WRITE, MoneyField, Pagination, PublicReadOnly
from core.idempotency import idempotent

from .. import selectors, services
from ..filters import PublicTenderFilter
from .buyer import TenderCreateApi
from .lookups import draft_fields, public_tender, supplier_or_404, tender_for, tender_response
from .serializers import (
    PROBLEM,
    AmendmentOutputSerializer,
    ClarificationOutputSerializer,
    DocumentOutputSerializer,
    TenderOutputSerializer,
    TenderSummaryOutputSerializer,
)

DATETIME_FIELDS = {"clarification_deadline", "submission_deadline", "opening_at"}
MONEY_FIELDS = {"estimated_value", "document_fee"}


class TenderListApi(generics.ListAPIView):
    """Published tenders (and those that ended after publication), newest first."""

    permission_classes = [PublicReadOnly]
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


class TenderDetailApi(APIView):
    permission_classes = PUBLIC_READ_SIGNED_IN_WRITE

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
        return Response(TenderOutputSerializer(tender_for(request.user, pk)).data)

    @extend_schema(
        operation_id="tenders_update",
        summary=_("Change a draft (only the fields sent)"),
        request=InputSerializer,
        responses={200: TenderOutputSerializer},
    )
    def patch(self, request, pk):
        tender = tender_for(request.user, pk)
        data = draft_fields(self.InputSerializer, request, partial=True)
        services.tender_update(actor=request.user, tender=tender, **data)
        return tender_response(tender, user=request.user)


class TenderClarificationsApi(APIView):
    permission_classes = PUBLIC_READ_SIGNED_IN_WRITE

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ClarificationAskInput"

        supplier = serializers.IntegerField(help_text="The supplier the caller asks for.")
        question = serializers.CharField(
            allow_blank=True,
            help_text=(
                "Alone, kept in the language it is written in; with question_fa, the English."
            ),
        )
        question_fa = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        operation_id="tenders_clarifications_list",
        summary=_("The tender's answered questions (who asked is never shown)"),
        responses={200: ClarificationOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = public_tender(pk)
        return Response(ClarificationOutputSerializer(tender.public_clarifications, many=True).data)

    @extend_schema(
        operation_id="tenders_clarifications_ask",
        summary=_("Ask a question, for a verified supplier, before the clarification deadline"),
        request=InputSerializer,
        responses={201: ClarificationOutputSerializer},
    )
    @idempotent
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tender = public_tender(pk)
        supplier = supplier_or_404(serializer.validated_data["supplier"])
        clarification = services.clarification_ask(
            actor=request.user,
            tender=tender,
            supplier=supplier,
            question=serializer.validated_data["question"],
            question_fa=serializer.validated_data.get("question_fa", ""),
        )
        return Response(
            ClarificationOutputSerializer(clarification).data, status=status.HTTP_201_CREATED
        )


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


class TenderAmendmentsApi(APIView):
    permission_classes = PUBLIC_READ_SIGNED_IN_WRITE
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderAmendInput"

        summary = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text=(
                "Alone, kept in the language it is written in; with summary_fa, the English. "
                "One of the two is required (422 tender.invalid_field)."
            ),
        )
        summary_fa = serializers.CharField(required=False, allow_blank=True, default="")
        changes = _JsonObjectField(
            required=False,
            default=dict,
            help_text=(
                "{field: new value}; dates and times in ISO 8601 with their time zone, "
                'amounts as {"amount": "1250.50", "currency": "IRR"} in their current '
                "currency. In multipart, the object's JSON text."
            ),
        )
        material = serializers.BooleanField(default=False)
        notice = serializers.CharField(required=False, allow_blank=True, default="")
        notice_fa = serializers.CharField(required=False, allow_blank=True, default="")
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
            """Parse the date-times' text (JSON has no dates) and the amounts' objects (Money);
            the service checks the rest."""
            parsed = dict(changes)
            for name, value in changes.items():
                if name in MONEY_FIELDS:
                    field = MoneyField()
                    field.bind(name, self)
                    try:
                        parsed[name] = field.to_internal_value(value)
                    except serializers.ValidationError as exc:
                        raise serializers.ValidationError({name: exc.detail}) from exc
                elif name in DATETIME_FIELDS and isinstance(value, str):
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
        tender = public_tender(pk)
        return Response(AmendmentOutputSerializer(tender.amendments.all(), many=True).data)

    @extend_schema(
        operation_id="tenders_amend",
        summary=_("Publish an amendment (corrigendum) of a published tender"),
        description=(
            "JSON, or multipart/form-data to publish documents too (`document_title` and "
            "`document_file` parts, paired in order; `changes` as JSON text). A change of "
            "the documents makes the amendment material: the minimum period before the "
            "submission deadline applies. Refusals are problem+json: 403 "
            "`api.permission_denied`; 409 `tender.invalid_transition` (not published); "
            "422 `tender.not_amendable`, `tender.material_amendment_too_late`, "
            "`tender.unknown_document` (withdraw), `tender.invalid_field`, and "
            "`tender.document_rejected` for a refused file, whose `errors` key names the "
            "row: `documents.<index>.file` (0-based). A refusal stores nothing."
        ),
        request={
            "application/json": InputSerializer,
            "multipart/form-data": InputSerializer,
        },
        responses={201: AmendmentOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    @idempotent
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        amendment = services.tender_amend(
            actor=request.user, tender=public_tender(pk), **serializer.validated_data
        )
        return Response(AmendmentOutputSerializer(amendment).data, status=status.HTTP_201_CREATED)


class TenderDocumentsApi(APIView):
    permission_classes = PUBLIC_READ_SIGNED_IN_WRITE
    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TenderDocumentUploadInput"

        title = serializers.CharField(help_text="A new title, or a new version of that title.")
        title_fa = serializers.CharField(
            required=False,
            allow_blank=True,
            help_text="Its Persian beside an English title (a new version keeps the last one).",
        )
        file = serializers.FileField()

    @extend_schema(
        operation_id="tenders_documents_list",
        summary=_("The tender's documents, every version (public once the tender is)"),
        responses={200: DocumentOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        tender = tender_for(request.user, pk)
        documents = selectors.public_tender_documents(tender)
        return Response(DocumentOutputSerializer(documents, many=True).data)

    @extend_schema(
        operation_id="tenders_documents_upload",
        summary=_("Upload a document to a draft (multipart), or a new version of one"),
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer},
    )
    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.tender_document_upload(
            actor=request.user,
            tender=tender_for(request.user, pk),
            title=serializer.validated_data["title"],
            title_fa=serializer.validated_data.get("title_fa", ""),
            uploaded=serializer.validated_data["file"],
        )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


class UnitListApi(APIView):
    """The units of measure an item may have: UN/ECE Recommendation 20 codes (core.units)."""

    permission_classes = [PublicReadOnly]
    authentication_classes = []

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "Unit"

        scheme = serializers.CharField(help_text="Always UNCEFACT (the OCDS name of the list).")
        id = serializers.CharField(help_text="The Recommendation 20 code, such as KGM.")
        name = serializers.CharField(help_text="In English.")
        name_fa = serializers.CharField(help_text="In Persian.")

    @extend_schema(
        operation_id="tenders_units_list",
        summary=_("The units of measure items are counted in (UN/ECE Recommendation 20)"),
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request):
        rows = [
            {"scheme": units.SCHEME, "id": code, "name": unit["en"], "name_fa": unit["fa"]}
            for code, unit in units.units().items()
        ]
        return Response(self.OutputSerializer(rows, many=True).data)
