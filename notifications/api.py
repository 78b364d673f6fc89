"""The notifications API: a user's inbox and its read marks."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Notification
from .selectors import notification_list, notification_unread_count
from .services import notification_mark_all_read, notification_mark_read


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "language", "created_at", "read_at"]
        read_only_fields = fields


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, default=False, help_text="Only the unread notifications."
    )


class NotificationListApi(generics.ListAPIView):
    serializer_class = NotificationOutputSerializer
    filter_backends = []

    @extend_schema(parameters=[NotificationFilterSerializer], operation_id="notifications_list")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        filters = NotificationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return notification_list(
            user=self.request.user, unread_only=filters.validated_data["unread"]
        )


class NotificationUnreadCountApi(APIView):
    @extend_schema(
        operation_id="notifications_unread_count",
        responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}),
    )
    def get(self, request):
        return Response({"unread": notification_unread_count(user=request.user)})


class NotificationMarkReadApi(APIView):
    @extend_schema(
        operation_id="notifications_mark_read",
        request=None,
        responses=NotificationOutputSerializer,
    )
    def post(self, request, pk: int):
        notification = get_object_or_404(notification_list(user=request.user), pk=pk)
        notification = notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationOutputSerializer(notification).data)


class NotificationMarkAllReadApi(APIView):
    @extend_schema(
        operation_id="notifications_mark_all_read",
        request=None,
        responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}),
    )
    def post(self, request):
        return Response({"marked": notification_mark_all_read(actor=request.user)})
