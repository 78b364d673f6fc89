"""The audit trail's REST API: the events, filtered, for auditors."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated

from accounts.permissions import HasPerm, Perm
from core.api import Pagination

from . import selectors
from .chain import format_time
from .filters import EventFilter


class EventListApi(generics.ListAPIView):
    """The audit events, oldest first, with every hashed field and the hash."""

    class OutputSerializer(serializers.Serializer):
        seq = serializers.IntegerField()
        # Exactly the hashed text (UTC, microseconds), so the hash can be recomputed.
        recorded_at = serializers.SerializerMethodField()
        actor_id = serializers.IntegerField(allow_null=True)
        actor_label = serializers.CharField()
        organisation_id = serializers.IntegerField(allow_null=True)
        role = serializers.CharField()
        action = serializers.CharField()
        object_type = serializers.CharField()
        object_id = serializers.CharField()
        object_repr = serializers.CharField()
        payload = serializers.JSONField()
        reason = serializers.CharField()
        prev_hash = serializers.CharField()
        hash = serializers.CharField()

        class Meta:
            ref_name = "AuditEvent"

        def get_recorded_at(self, event) -> str:
            return format_time(event.recorded_at)

    permission_classes = [IsAuthenticated, HasPerm]
    required_perm = Perm.VIEW_AUDIT
    serializer_class = OutputSerializer
    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        return selectors.event_list()

    @extend_schema(
        operation_id="audit_events_list",
        summary=_("List audit events"),
        description=_(
            "The append-only audit trail, oldest first, for auditors and platform "
            "administrators. Each event carries every field its hash covers: "
            "hash = SHA-256(prev_hash bytes || canonical JSON of the other fields)."
        ),
        # The problem+json answers (400 for an invalid filter, 401, 403 for
        # anyone but an auditor, ...) are declared for every operation by
        # core.api.document_problem_responses.
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
