"""The audit trail's REST API: the events, filtered, for auditors."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination, PublicReadOnly
from core.permissions import HasPerm, has_perm

from . import proofs, selectors
from .chain import event_record, format_time
from .filters import EventFilter
from .permissions import VIEW_AUDIT
from .verification import CheckpointCopy


class EventListApi(generics.ListAPIView):
    """The audit events, oldest first, with every hashed field and the hash."""

    class OutputSerializer(serializers.Serializer):
        seq = serializers.IntegerField()
        # Exactly the hashed text (UTC, microseconds), so the hash can be recomputed.
        recorded_at = serializers.SerializerMethodField()
        # The actor's pseudonym (hashed); who it is, where not erased, in actor_name.
        actor = serializers.CharField(source="actor_id", allow_null=True)
        actor_name = serializers.CharField()
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
    required_perm = VIEW_AUDIT
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
            "hash = SHA-256(prev_hash bytes || RFC 8785 canonical JSON of the hashed fields); "
            "actor_name is not hashed (it can be erased)."
        ),
        # The problem+json answers (400 for an invalid filter, 401, 403 for
        # anyone but an auditor, ...) are declared for every operation by
        # core.api.document_problem_responses.
        responses={200: OutputSerializer(many=True)},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class EventRecordSerializer(serializers.Serializer):
    """An event exactly as exported: every hashed field, then the hash (docs/verify.md)."""

    seq = serializers.IntegerField()
    recorded_at = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
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
        ref_name = "AuditEventRecord"


class EventDetailApi(APIView):
    """One event with every hashed field and its hash: for auditors, and for its own actor."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="audit_event_detail",
        summary=_("One audit event"),
        description=_(
            "An event exactly as exported (every hashed field and the hash), so that its "
            "Merkle leaf can be recomputed and checked with an inclusion proof. Auditors read "
            "any event; anyone else only the events of their own actions."
        ),
        responses={200: EventRecordSerializer},
    )
    def get(self, request, seq: int):
        event = get_object_or_404(selectors.event_list(), seq=seq)
        if not has_perm(request.user, VIEW_AUDIT) and not selectors.is_own_event(
            event, request.user
        ):
            raise PermissionDenied
        return Response(event_record(event))


class CheckpointSerializer(serializers.Serializer):
    log = serializers.CharField()
    size = serializers.IntegerField()
    root_hash = serializers.CharField()
    recorded_at = serializers.CharField()
    key_id = serializers.CharField()
    signature = serializers.CharField()

    class Meta:
        ref_name = "AuditCheckpoint"

    def to_representation(self, instance):
        return CheckpointCopy.from_model(instance).as_json()


class CheckpointListApi(generics.ListAPIView):
    """The signed checkpoints, newest first: public, so that anyone may keep copies."""

    authentication_classes = []
    permission_classes = [PublicReadOnly]  # public data, read-only
    serializer_class = CheckpointSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.checkpoint_list()

    @extend_schema(
        operation_id="audit_checkpoints_list",
        summary=_("List signed checkpoints"),
        description=_(
            "Each checkpoint is the audit trail's size and RFC 9162 Merkle root, signed with "
            "the platform's Ed25519 key over the RFC 8785 canonical JSON of its other fields."
        ),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CheckpointDetailApi(APIView):
    authentication_classes = []
    permission_classes = [PublicReadOnly]  # public data, read-only

    @extend_schema(
        operation_id="audit_checkpoint_detail",
        summary=_("One signed checkpoint (size or 'latest')"),
        responses={200: CheckpointSerializer},
    )
    def get(self, request, size: str):
        checkpoints = selectors.checkpoint_list()
        if size == "latest":
            checkpoint = checkpoints.first()
            if checkpoint is None:
                raise proofs.ProofUnavailable(params={"size": "latest"})
        else:
            checkpoint = get_object_or_404(checkpoints, size=int(size))
        return Response(CheckpointCopy.from_model(checkpoint).as_json())


class KeySetApi(APIView):
    authentication_classes = []
    permission_classes = [PublicReadOnly]  # public keys

    class OutputSerializer(serializers.Serializer):
        log = serializers.CharField()
        keys = serializers.ListField(child=serializers.DictField())

        class Meta:
            ref_name = "AuditKeySet"

    @extend_schema(
        operation_id="audit_keys",
        summary=_("The platform's public signing keys"),
        description=_(
            "The Ed25519 public keys that sign checkpoints and receipts: the current one and "
            "those retired by a rotation. key_id is the first 16 bytes of SHA-256 of the raw "
            "public key, in hex."
        ),
        responses={200: OutputSerializer},
    )
    def get(self, request):
        return Response(selectors.key_set())


class InclusionProofApi(APIView):
    """RFC 9162 §2.1.3: the proof that an event is in the tree of a signed size."""

    authentication_classes = []
    permission_classes = [PublicReadOnly]  # hashes only: no event content

    class FilterSerializer(serializers.Serializer):
        seq = serializers.IntegerField(min_value=1)
        tree_size = serializers.IntegerField(min_value=1, required=False)

    class OutputSerializer(serializers.Serializer):
        log = serializers.CharField()
        seq = serializers.IntegerField()
        leaf_index = serializers.IntegerField()
        tree_size = serializers.IntegerField()
        leaf_hash = serializers.CharField()
        path = serializers.ListField(child=serializers.CharField())
        checkpoint = CheckpointSerializer(allow_null=True)

        class Meta:
            ref_name = "AuditInclusionProof"

    @extend_schema(
        operation_id="audit_inclusion_proof",
        summary=_("Inclusion proof of an event"),
        description=_(
            "The audit path of event `seq` in the tree of `tree_size` events (by default the "
            "latest signed checkpoint's), with that checkpoint when one was signed at that size."
        ),
        parameters=[FilterSerializer],
        responses={200: OutputSerializer},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        size = query.validated_data.get("tree_size")
        checkpoint = selectors.checkpoint_at(size)
        if size is None:
            if checkpoint is None:
                raise proofs.ProofUnavailable(params={"tree_size": "latest"})
            size = checkpoint.size
        proof = proofs.inclusion_proof(seq=query.validated_data["seq"], size=size)
        return Response(
            {
                "log": settings.AUDIT_LOG_ID,
                **proof,
                "checkpoint": _checkpoint_json(checkpoint),
            }
        )


class ConsistencyProofApi(APIView):
    """RFC 9162 §2.1.4: the proof that the trail of one size is a prefix of a later one."""

    authentication_classes = []
    permission_classes = [PublicReadOnly]  # hashes only: no event content

    class FilterSerializer(serializers.Serializer):
        first = serializers.IntegerField(min_value=1)
        second = serializers.IntegerField(min_value=1)

    class OutputSerializer(serializers.Serializer):
        log = serializers.CharField()
        first = serializers.IntegerField()
        second = serializers.IntegerField()
        path = serializers.ListField(child=serializers.CharField())

        class Meta:
            ref_name = "AuditConsistencyProof"

    @extend_schema(
        operation_id="audit_consistency_proof",
        summary=_("Consistency proof between two sizes"),
        description=_(
            "Proves that the first `first` events are unchanged in the trail of `second` "
            "events: check it against the two signed checkpoints of those sizes."
        ),
        parameters=[FilterSerializer],
        responses={200: OutputSerializer},
    )
    def get(self, request):
        query = self.FilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        proof = proofs.consistency_proof(**query.validated_data)
        return Response({"log": settings.AUDIT_LOG_ID, **proof})


class ExportApi(generics.GenericAPIView):
    """The whole trail (or a filtered part) as JSON Lines, for `panjere-verify trail`."""

    permission_classes = [IsAuthenticated, HasPerm]
    required_perm = VIEW_AUDIT
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter
    pagination_class = None

    def get_queryset(self):
        return selectors.event_list()

    @extend_schema(
        operation_id="audit_export",
        summary=_("Export the audit trail as JSON Lines"),
        description=_(
            "One exported record (every hashed field and the hash) per line, oldest first, "
            "streamed. A full export is what `panjere-verify trail` checks."
        ),
        responses={(200, "application/jsonl"): OpenApiTypes.STR},
    )
    def get(self, request):
        events = self.filter_queryset(self.get_queryset())
        response = StreamingHttpResponse(
            selectors.export_lines(events), content_type="application/jsonl; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="audit-events.jsonl"'
        return response


def _checkpoint_json(checkpoint) -> dict | None:
    return None if checkpoint is None else CheckpointCopy.from_model(checkpoint).as_json()
