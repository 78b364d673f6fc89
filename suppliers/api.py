"""The supplier's REST API: register, fill in, upload, submit, read the status.

Thin, in the HackSoft style: each endpoint parses with its nested
InputSerializer, calls one service, answers with its OutputSerializer.
DomainErrors become problem+json through core.api, with `errors` naming the
field. The officers' API lives in review_api.py.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role, User
from accounts.permissions import Perm, has_perm
from core import cpv
from core.api import Pagination, PublicReadOnly
from core.idempotency import idempotent
from core.validators import validate_plausible_date

from . import selectors, services
from .models import DocumentKind, Supplier, SupplierDocument
from .views import document_file_response

PROBLEM = OpenApiResponse(OpenApiTypes.OBJECT, description="problem+json")
CPV_MAX_RESULTS = 100


def _supplier(request, pk) -> Supplier:
    """The supplier if the caller may see it: its members, verifying officers, auditors."""
    supplier = get_object_or_404(Supplier.objects.select_related("organisation"), pk=pk)
    if not has_perm(request.user, Perm.VIEW_SUPPLIER, supplier):
        raise PermissionDenied(_("You are not allowed to see this supplier."))
    return supplier


def _download_url(document) -> str:
    return reverse("suppliers-api-document-download", args=[document.supplier_id, document.pk])


# --- Output shapes shared by the endpoints ------------------------------------------------


class CategoryOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField(help_text="In the request's language (Accept-Language).")


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes.")
    sha256 = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField(allow_null=True)
    uploaded_at = serializers.DateTimeField(source="created_at")
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, document) -> str:
        return _download_url(document)


class ReasonOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class EligibilityOutputSerializer(serializers.Serializer):
    eligible = serializers.BooleanField()
    reasons = ReasonOutputSerializer(many=True)


class ChangeItemOutputSerializer(serializers.Serializer):
    target_type = serializers.ChoiceField(choices=["field", "document"])
    target = serializers.CharField(help_text="A supplier field's name, or a document kind.")
    reason = serializers.CharField()


class ChangeRequestOutputSerializer(serializers.Serializer):
    requested_at = serializers.DateTimeField(source="created_at")
    items = ChangeItemOutputSerializer(many=True, source="items.all")


class SupplierOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    legal_name_fa = serializers.CharField()
    registration_number = serializers.CharField()
    tax_id = serializers.CharField()
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
    address_line = serializers.CharField()
    city = serializers.CharField()
    postal_code = serializers.CharField()
    contact_email = serializers.CharField()
    contact_phone = serializers.CharField()
    website = serializers.CharField()
    cpv_codes = serializers.ListField(child=serializers.CharField())
    categories = serializers.SerializerMethodField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    editable = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    missing = serializers.SerializerMethodField(
        help_text="What the registration still lacks before it can be submitted."
    )
    eligibility = serializers.SerializerMethodField()
    change_request = serializers.SerializerMethodField(
        help_text="The officer's open request for changes, or null."
    )
    documents = serializers.SerializerMethodField(help_text="Every version of every document.")

    def get_categories(self, supplier) -> CategoryOutputSerializer(many=True):
        return [{"code": code, "label": cpv.label(code)} for code in supplier.cpv_codes]

    def get_editable(self, supplier) -> bool:
        return selectors.registration_editable(supplier)

    def get_missing(self, supplier) -> list[str]:
        if not selectors.registration_editable(supplier):
            return []
        return services.missing_for_submission(supplier)

    def get_eligibility(self, supplier) -> EligibilityOutputSerializer:
        eligibility = selectors.supplier_eligibility(supplier)
        return EligibilityOutputSerializer(eligibility).data

    def get_change_request(self, supplier) -> ChangeRequestOutputSerializer(allow_null=True):
        change_request = selectors.open_change_request(supplier)
        if change_request is None:
            return None
        return ChangeRequestOutputSerializer(change_request).data

    def get_documents(self, supplier) -> DocumentOutputSerializer(many=True):
        documents = SupplierDocument.objects.filter(supplier=supplier).order_by("kind", "-version")
        return DocumentOutputSerializer(documents, many=True).data


class SupplierSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    legal_name = serializers.CharField()
    country = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")


def _output(supplier) -> dict:
    return SupplierOutputSerializer(supplier).data


# --- Endpoints -----------------------------------------------------------------------------


class ProfileInputSerializer(serializers.Serializer):
    legal_name = serializers.CharField(max_length=300)
    legal_name_fa = serializers.CharField(max_length=300, allow_blank=True)
    registration_number = serializers.CharField(max_length=64, allow_blank=True)
    tax_id = serializers.CharField(max_length=64, allow_blank=True)
    country = serializers.CharField(max_length=2, help_text="ISO 3166-1 alpha-2, e.g. IR.")
    address_line = serializers.CharField(max_length=300, allow_blank=True)
    city = serializers.CharField(max_length=100, allow_blank=True)
    postal_code = serializers.CharField(max_length=20, allow_blank=True)
    contact_email = serializers.EmailField(
        max_length=Supplier._meta.get_field("contact_email").max_length, allow_blank=True
    )
    contact_phone = serializers.CharField(max_length=32, allow_blank=True)
    website = serializers.URLField(
        max_length=Supplier._meta.get_field("website").max_length, allow_blank=True
    )
    cpv_codes = serializers.ListField(
        child=serializers.CharField(max_length=10),
        help_text="CPV 2008 codes with their check digit, e.g. 45233120-6.",
    )


class SupplierRegisterApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(ProfileInputSerializer):
        """Only the legal name and the country are needed to start."""

        class Meta:
            ref_name = "SupplierRegisterInput"

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for name, field in self.fields.items():
                if name not in {"legal_name", "country"}:
                    field.required = False

    @extend_schema(
        operation_id="suppliers_register",
        summary="Start a supplier registration (the caller becomes its administrator)",
        request=InputSerializer,
        responses={201: SupplierOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    @idempotent
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        supplier = services.supplier_register(actor=request.user, **serializer.validated_data)
        return Response(_output(supplier), status=status.HTTP_201_CREATED)


class SupplierMineApi(APIView):
    permission_classes = [IsAuthenticated]
    # The list answers pages; naming the paginator documents it so in the schema.
    pagination_class = Pagination

    @extend_schema(
        operation_id="suppliers_mine",
        summary="The suppliers the caller acts for",
        responses={200: SupplierSummaryOutputSerializer(many=True)},
    )
    def get(self, request):
        queryset = selectors.suppliers_for_user(request.user).order_by("legal_name", "pk")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, self)
        return paginator.get_paginated_response(
            SupplierSummaryOutputSerializer(page, many=True).data
        )


class SupplierDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(ProfileInputSerializer):
        """Any of the fields; only those given are changed."""

        class Meta:
            ref_name = "SupplierUpdateInput"

    @extend_schema(
        operation_id="suppliers_retrieve",
        summary="A supplier's registration: state, eligibility, requested changes, documents",
        responses={200: SupplierOutputSerializer},
    )
    def get(self, request, pk):
        return Response(_output(_supplier(request, pk)))

    @extend_schema(
        operation_id="suppliers_update",
        summary="Change fields of a draft (or of a registration returned for changes)",
        request=InputSerializer,
        responses={200: SupplierOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    def patch(self, request, pk):
        supplier = _supplier(request, pk)
        serializer = self.InputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        supplier = services.supplier_update(
            actor=request.user, supplier=supplier, **serializer.validated_data
        )
        return Response(_output(supplier))


class SupplierSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="suppliers_submit",
        summary="Submit the registration for verification (again, after requested changes)",
        description="422 `supplier.incomplete` lists what is missing in `params.missing`.",
        request=None,
        responses={200: SupplierOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    @idempotent
    def post(self, request, pk):
        supplier = services.supplier_submit(actor=request.user, supplier=_supplier(request, pk))
        return Response(_output(supplier))


class SupplierDocumentsApi(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SupplierDocumentUploadInput"

        kind = serializers.ChoiceField(choices=DocumentKind.choices)
        issued_on = serializers.DateField(validators=[validate_plausible_date])
        expires_on = serializers.DateField(
            required=False, allow_null=True, validators=[validate_plausible_date]
        )
        file = serializers.FileField(
            help_text="PDF, PNG or JPEG; the type is checked by content, the size against "
            "SUPPLIER_DOCUMENT_MAX_BYTES."
        )

    @extend_schema(
        operation_id="suppliers_documents_list",
        summary="Every version of every document of a supplier",
        responses={200: DocumentOutputSerializer(many=True)},
    )
    def get(self, request, pk):
        supplier = _supplier(request, pk)
        queryset = SupplierDocument.objects.filter(supplier=supplier).order_by("kind", "-version")
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, request, self)
        return paginator.get_paginated_response(DocumentOutputSerializer(page, many=True).data)

    @extend_schema(
        operation_id="suppliers_documents_upload",
        summary="Upload a new version of a document (multipart/form-data)",
        request={"multipart/form-data": InputSerializer},
        responses={201: DocumentOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    def post(self, request, pk):
        supplier = _supplier(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = services.supplier_document_upload(
            actor=request.user,
            supplier=supplier,
            kind=data["kind"],
            uploaded=data["file"],
            issued_on=data["issued_on"],
            expires_on=data.get("expires_on"),
        )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


class SupplierDocumentDownloadApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="suppliers_documents_download",
        summary="Download one document version (an attachment)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file as uploaded."
            )
        },
    )
    def get(self, request, pk, doc_pk):
        supplier = _supplier(request, pk)
        document = get_object_or_404(SupplierDocument, pk=doc_pk, supplier=supplier)
        try:
            handle = document.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return document_file_response(document, handle)


class SupplierRepresentativesApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SupplierRepresentativeInput"

        email = serializers.EmailField(max_length=User._meta.get_field("email").max_length)
        name = serializers.CharField(
            max_length=200, required=False, allow_blank=True, help_text="Needed for a new person."
        )
        role = serializers.ChoiceField(choices=[Role.SUPPLIER_ADMIN, Role.BIDDER])

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SupplierRepresentative"

        user_id = serializers.IntegerField()
        name = serializers.CharField(source="user.name")
        email = serializers.EmailField(source="user.email")
        role = serializers.CharField()
        role_label = serializers.CharField(source="get_role_display")
        invited = serializers.SerializerMethodField(
            help_text="True until the person has chosen a password."
        )

        def get_invited(self, membership) -> bool:
            return not membership.user.has_usable_password()

    class InvitationOutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "SupplierRepresentativeInvitation"

        id = serializers.IntegerField()
        user_id = serializers.IntegerField()
        name = serializers.CharField(source="user.name")
        email = serializers.EmailField(source="user.email")
        role = serializers.CharField()
        role_label = serializers.CharField(source="get_role_display")
        state = serializers.CharField(help_text="pending until the person accepts or declines.")

    @extend_schema(
        operation_id="suppliers_representatives_list",
        summary="The people who act for a supplier, with their roles",
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request, pk):
        supplier = _supplier(request, pk)
        representatives = selectors.supplier_representatives(supplier)
        return Response(self.OutputSerializer(representatives, many=True).data)

    @extend_schema(
        operation_id="suppliers_representatives_add",
        summary=(
            "Invite a representative, who acts for the supplier once they accept; "
            "a person without an account is first sent an email to choose a password"
        ),
        request=InputSerializer,
        responses={201: InvitationOutputSerializer, 409: PROBLEM, 422: PROBLEM},
    )
    @idempotent
    def post(self, request, pk):
        supplier = _supplier(request, pk)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.supplier_invite_representative(
            actor=request.user, supplier=supplier, **serializer.validated_data
        )
        return Response(
            self.InvitationOutputSerializer(invitation).data, status=status.HTTP_201_CREATED
        )


class CpvSearchApi(APIView):
    """The CPV 2008 vocabulary is public: anyone may search it."""

    permission_classes = [PublicReadOnly]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="suppliers_cpv_search",
        summary="Search the CPV 2008 vocabulary by words or code",
        parameters=[
            OpenApiParameter("q", str, description="Words or the start of a code.", required=True),
            OpenApiParameter("limit", int, description=f"At most {CPV_MAX_RESULTS} (default 20)."),
        ],
        responses={200: CategoryOutputSerializer(many=True)},
    )
    def get(self, request):
        query = request.query_params.get("q", "")[:100]
        try:
            limit = int(request.query_params.get("limit", 20))
        except ValueError:
            limit = 20
        limit = max(1, min(limit, CPV_MAX_RESULTS))
        results = [{"code": code, "label": label} for code, label in cpv.search(query, limit=limit)]
        return Response(CategoryOutputSerializer(results, many=True).data)
