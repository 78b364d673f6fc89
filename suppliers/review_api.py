"""The verifying officers' REST API: the review queue, one registration, the decisions.

Refusals are problem+json: 403 for anyone who does not verify registrations
(or, for debarments, is not of the oversight body), 404 for an unknown or
draft registration, 409 for a decision the registration's state does not
allow, 422 for a missing reason or a past end date.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Perm, has_perm
from core.api import Pagination
from core.clock import db_now
from core.idempotency import idempotent
from core.validators import validate_plausible_date

from . import selectors, services
from .models import ChangeRequestItem, Supplier
from .review_filters import ReviewFilter
from .review_views import document_download_url, offered_decisions

CONFLICT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="problem+json (supplier.invalid_transition): the state does not allow it.",
)
UNPROCESSABLE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="problem+json (supplier.reason_required, supplier.invalid_date).",
)


class CanReview(BasePermission):
    message = _("Only verifying officers may review registrations.")

    def has_permission(self, request, view):
        return has_perm(request.user, Perm.VERIFY_SUPPLIERS)


class CanDebar(BasePermission):
    message = _("Only the oversight body decides on debarments.")

    def has_permission(self, request, view):
        return has_perm(request.user, Perm.DEBAR_SUPPLIERS)


def _reviewable(pk) -> Supplier:
    try:
        supplier = selectors.supplier_detail(pk)
    except Supplier.DoesNotExist:
        raise Http404 from None
    if not selectors.reviewable(supplier):
        raise Http404
    return supplier


def _waiting_days(supplier, now) -> int | None:
    return selectors.waiting_days(supplier, now=now)


class ReviewQueueApi(generics.ListAPIView):
    """The registrations awaiting verification, oldest submission first."""

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        legal_name = serializers.CharField()
        legal_name_fa = serializers.CharField()
        registration_number = serializers.CharField()
        country = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
        cpv_codes = serializers.ListField(child=serializers.CharField())
        state = serializers.CharField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        waiting_days = serializers.SerializerMethodField(
            help_text="Whole days since submission, while submitted; null otherwise."
        )

        class Meta:
            ref_name = "SupplierReviewListItem"

        def get_waiting_days(self, supplier) -> int | None:
            return _waiting_days(supplier, self.context["now"])

    permission_classes = [IsAuthenticated, CanReview]
    serializer_class = OutputSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewFilter

    def get_queryset(self):
        return selectors.reviewable_suppliers()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": db_now()}

    @extend_schema(
        operation_id="supplier_review_queue",
        summary=_("The review queue"),
        description=_(
            "Registrations submitted for verification, oldest first. `state` (default "
            "`submitted`, or `any`) lists the registrations in another state; `q` searches "
            "the names, registration number and tax id; `cpv_division` is two digits."
        ),
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    uploaded_by = serializers.EmailField(source="uploaded_by.email")
    uploaded_at = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()

    class Meta:
        ref_name = "SupplierReviewDocument"

    def get_download_url(self, document) -> str:
        return document_download_url(document)


class ReviewDetailSerializer(serializers.Serializer):
    """A registration as an officer sees it: every field, document version and step."""

    class ChangeRequestOutput(serializers.Serializer):
        class Item(serializers.Serializer):
            target_type = serializers.CharField()
            target = serializers.CharField()
            reason = serializers.CharField()

            class Meta:
                ref_name = "SupplierReviewChangeItem"

        id = serializers.IntegerField()
        requested_by = serializers.EmailField(source="requested_by.email")
        created_at = serializers.DateTimeField()
        resolved_at = serializers.DateTimeField(allow_null=True)
        items = Item(many=True, source="items.all")

        class Meta:
            ref_name = "SupplierReviewChangeRequest"

    class EligibilityOutput(serializers.Serializer):
        class Reason(serializers.Serializer):
            code = serializers.CharField()
            message = serializers.CharField()

            class Meta:
                ref_name = "SupplierIneligibility"

        eligible = serializers.BooleanField()
        reasons = Reason(many=True)

        class Meta:
            ref_name = "SupplierReviewEligibility"

    class EventOutput(serializers.Serializer):
        seq = serializers.IntegerField()
        recorded_at = serializers.DateTimeField()
        action = serializers.CharField()
        actor = serializers.CharField(source="actor_name")
        reason = serializers.CharField()

        class Meta:
            ref_name = "SupplierReviewEvent"

    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    legal_name_fa = serializers.CharField()
    registration_number = serializers.CharField()
    tax_id = serializers.CharField()
    country = serializers.CharField()
    address_line = serializers.CharField()
    city = serializers.CharField()
    postal_code = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    website = serializers.CharField()
    cpv_codes = serializers.ListField(child=serializers.CharField())
    state = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    suspension_reason = serializers.CharField()
    debarment_reason = serializers.CharField()
    debarment_reason_fa = serializers.CharField()
    debarred_from = serializers.DateField(allow_null=True)
    debarred_until = serializers.DateField(allow_null=True)
    documents_expired_since = serializers.DateField(allow_null=True)
    documents = DocumentOutputSerializer(many=True, source="documents.all")
    change_requests = ChangeRequestOutput(many=True, source="change_requests.all")
    eligibility = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField(
        help_text="The decisions the state allows and the caller may take now."
    )

    class Meta:
        ref_name = "SupplierReviewDetail"

    @extend_schema_field(EligibilityOutput)
    def get_eligibility(self, supplier) -> dict:
        return self.EligibilityOutput(selectors.supplier_eligibility(supplier)).data

    @extend_schema_field(EventOutput(many=True))
    def get_timeline(self, supplier) -> list[dict]:
        return self.EventOutput(selectors.supplier_timeline(supplier), many=True).data

    def get_decisions(self, supplier) -> list[str]:
        offered = offered_decisions(self.context["request"].user, supplier)
        return [name for name, allowed in offered.items() if allowed]


def _detail_response(request, pk) -> Response:
    supplier = _reviewable(pk)
    return Response(ReviewDetailSerializer(supplier, context={"request": request}).data)


class ReviewDetailApi(APIView):
    permission_classes = [IsAuthenticated, CanReview]

    @extend_schema(
        operation_id="supplier_review_detail",
        summary=_("One registration, for review"),
        responses={200: ReviewDetailSerializer},
    )
    def get(self, request, pk):
        return _detail_response(request, pk)


class DecisionApi(APIView):
    """POST one decision about one registration; the answer is the registration after it."""

    permission_classes = [IsAuthenticated, CanReview]

    class InputSerializer(serializers.Serializer):
        pass

    def decide(self, *, actor, supplier, data):
        raise NotImplementedError

    def post(self, request, pk):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier = _reviewable(pk)
        self.decide(actor=request.user, supplier=supplier, data=serializer.validated_data)
        return _detail_response(request, pk)


def _decision_schema(operation_id, summary, input_serializer, *, description=""):
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        request=input_serializer,
        responses={200: ReviewDetailSerializer, 409: CONFLICT, 422: UNPROCESSABLE},
    )


class _ReasonInput(serializers.Serializer):
    # Blank or missing is refused by the service, as 422 supplier.reason_required.
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class VerifyApi(DecisionApi):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)

        class Meta:
            ref_name = "SupplierVerifyInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_verify(actor=actor, supplier=supplier, reason=data["note"])

    @_decision_schema(
        "supplier_review_verify",
        _("Verify a submitted registration"),
        InputSerializer,
        description=_("`note` is optional and kept on the record as the decision's reason."),
    )
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)


class RequestChangesApi(DecisionApi):
    class InputSerializer(serializers.Serializer):
        class Item(serializers.Serializer):
            target_type = serializers.ChoiceField(choices=ChangeRequestItem.Target.choices)
            target = serializers.CharField(
                help_text="A field of the registration (e.g. tax_id) or a document kind "
                "(e.g. tax_clearance)."
            )
            reason = serializers.CharField(allow_blank=True, max_length=4000)

            class Meta:
                ref_name = "SupplierChangeRequestItemInput"

            def validate(self, attrs):
                if not services.is_change_target(attrs["target_type"], attrs["target"]):
                    raise serializers.ValidationError(
                        {"target": _("Unknown field or document kind.")}, code="invalid"
                    )
                return attrs

        items = Item(many=True, required=False, default=list)

        class Meta:
            ref_name = "SupplierRequestChangesInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_request_changes(
            actor=actor, supplier=supplier, items=[dict(item) for item in data["items"]]
        )

    @_decision_schema(
        "supplier_review_request_changes",
        _("Send a submitted registration back, with a reason per field or document"),
        InputSerializer,
        description=_(
            "At least one item with a non-blank reason is required (422 otherwise). "
            "Fields: legal_name, legal_name_fa, registration_number, tax_id, country, "
            "address_line, city, postal_code, contact_email, contact_phone, website, "
            "cpv_codes. Documents: the document kinds."
        ),
    )
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)


class SuspendApi(DecisionApi):
    class InputSerializer(_ReasonInput):
        class Meta:
            ref_name = "SupplierSuspendInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_suspend(actor=actor, supplier=supplier, reason=data["reason"])

    @_decision_schema("supplier_review_suspend", _("Suspend a verified supplier"), InputSerializer)
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)


class ReinstateApi(DecisionApi):
    class InputSerializer(_ReasonInput):
        class Meta:
            ref_name = "SupplierReinstateInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_reinstate(actor=actor, supplier=supplier, reason=data["reason"])

    @_decision_schema(
        "supplier_review_reinstate", _("Reinstate a suspended supplier"), InputSerializer
    )
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)


class DebarApi(DecisionApi):
    permission_classes = [IsAuthenticated, CanDebar]

    class InputSerializer(_ReasonInput):
        until = serializers.DateField(
            help_text="The day the debarment ends (in the future).",
            validators=[validate_plausible_date],
        )
        reason_fa = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=4000,
            help_text=(
                "The public reason in Persian, beside `reason` in English; with `reason` alone, "
                "it is kept in the language it is written in."
            ),
        )

        class Meta:
            ref_name = "SupplierDebarInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_debar(
            actor=actor,
            supplier=supplier,
            reason=data["reason"],
            reason_fa=data["reason_fa"],
            until=data["until"],
        )

    @_decision_schema(
        "supplier_review_debar",
        _("Debar a verified or suspended supplier until a date"),
        InputSerializer,
        description=_("For the oversight body's administrators only."),
    )
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)


class EndDebarmentApi(DecisionApi):
    permission_classes = [IsAuthenticated, CanDebar]

    class InputSerializer(_ReasonInput):
        class Meta:
            ref_name = "SupplierEndDebarmentInput"

    def decide(self, *, actor, supplier, data):
        services.supplier_end_debarment(actor=actor, supplier=supplier, reason=data["reason"])

    @_decision_schema(
        "supplier_review_end_debarment",
        _("End a debarment before its date"),
        InputSerializer,
        description=_("For the oversight body's administrators only."),
    )
    @idempotent
    def post(self, request, pk):
        return super().post(request, pk)
