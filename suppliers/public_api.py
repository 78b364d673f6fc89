"""The public debarment list through the API: no account needed."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers

from core.api import Pagination, PublicReadOnly

from . import selectors


class DebarmentListApi(generics.ListAPIView):
    """Suppliers excluded from public procurement, most recent debarment first."""

    class OutputSerializer(serializers.Serializer):
        legal_name = serializers.CharField()
        legal_name_fa = serializers.CharField()
        registration_number = serializers.CharField()
        country = serializers.CharField(help_text="ISO 3166-1 alpha-2.")
        reason = serializers.CharField(
            source="debarment_reason", help_text="In English; empty if written only in Persian."
        )
        reason_fa = serializers.CharField(
            source="debarment_reason_fa", help_text="In Persian; empty if written only in English."
        )
        debarred_from = serializers.DateField()
        debarred_until = serializers.DateField()

        class Meta:
            ref_name = "Debarment"

    authentication_classes = []
    permission_classes = [PublicReadOnly]
    serializer_class = OutputSerializer
    pagination_class = Pagination
    filter_backends = []

    def get_queryset(self):
        return selectors.debarment_list()

    @extend_schema(
        operation_id="debarments_list",
        summary=_("The public debarment list"),
        description=_(
            "Every supplier debarred now: name (and Persian name), registration number, "
            "country, reason, and the period. Public: no authentication."
        ),
        auth=[],
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
