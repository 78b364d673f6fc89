"""The accounts REST API: who am I, and my personal API tokens."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination

from . import selectors
from .models import ApiToken, MembershipInvitation
from .permissions import requires_two_factor
from .services import (
    api_token_create,
    api_token_revoke,
    membership_invitation_accept,
    membership_invitation_decline,
)

CONFLICT = OpenApiResponse(OpenApiTypes.OBJECT, description="problem+json: already revoked.")


class OrganisationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    name = serializers.CharField()
    name_fa = serializers.CharField()


class MembershipSerializer(serializers.Serializer):
    organisation = OrganisationSerializer()
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")


class ApiTokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(help_text="The token's public part: pnj_<prefix>_…")
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    second_factor_verified = serializers.BooleanField(
        help_text="Made in a session that passed two-factor authentication."
    )


class MeApi(APIView):
    permission_classes = [IsAuthenticated]

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        name = serializers.CharField()
        language = serializers.CharField()
        email_verified = serializers.BooleanField()
        two_factor_enabled = serializers.BooleanField()
        two_factor_required = serializers.BooleanField()
        memberships = MembershipSerializer(many=True)

    @extend_schema(
        operation_id="accounts_me",
        summary="The signed-in user and their memberships",
        responses={200: OutputSerializer},
    )
    def get(self, request):
        user = request.user
        data = {
            "id": user.pk,
            "email": user.email,
            "name": user.name,
            "language": user.language,
            "email_verified": user.email_verified,
            "two_factor_enabled": selectors.has_two_factor(user),
            "two_factor_required": requires_two_factor(user),
            "memberships": selectors.memberships_of(user),
        }
        return Response(self.OutputSerializer(data).data)


class ApiTokenListCreateApi(APIView):
    permission_classes = [IsAuthenticated]
    # The list answers pages; naming the paginator documents it so in the schema.
    pagination_class = Pagination

    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=100)
        expires_in_days = serializers.IntegerField(
            min_value=1, help_text="Days until the token expires, at most API_TOKEN_MAX_DAYS."
        )

    class CreatedSerializer(ApiTokenSerializer):
        token = serializers.CharField(
            help_text="The whole token, shown this once: only its SHA-256 is kept."
        )

    @extend_schema(
        operation_id="accounts_tokens_list",
        summary="My API tokens (never the tokens themselves)",
        responses={200: ApiTokenSerializer(many=True)},
    )
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.api_tokens_of(request.user), request, self)
        return paginator.get_paginated_response(ApiTokenSerializer(page, many=True).data)

    @extend_schema(
        operation_id="accounts_tokens_create",
        summary="Create an API token; the response holds it in full, once",
        description=(
            "Only from a signed-in browser session, not with another token. "
            f"Expiry: 1 to {settings.API_TOKEN_MAX_DAYS} days."
        ),
        request=InputSerializer,
        responses={201: CreatedSerializer, 409: CONFLICT},
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, raw = api_token_create(
            actor=request.user,
            via_api_token=isinstance(request.auth, ApiToken),
            second_factor_verified=_session_verified(request),
            **serializer.validated_data,
        )
        data = {**ApiTokenSerializer(token).data, "token": raw}
        return Response(self.CreatedSerializer(data).data, status=status.HTTP_201_CREATED)


def _session_verified(request) -> bool:
    """Whether the session behind this API request passed two-factor authentication.

    With session authentication DRF's user is the session's, which django-otp's
    middleware gave `is_verified`; a token-authenticated user has none.
    """
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def _own_token(request, pk) -> ApiToken:
    return get_object_or_404(ApiToken, pk=pk, user=request.user)


class ApiTokenDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_tokens_retrieve",
        summary="One of my API tokens",
        responses={200: ApiTokenSerializer},
    )
    def get(self, request, pk):
        return Response(ApiTokenSerializer(_own_token(request, pk)).data)

    @extend_schema(
        operation_id="accounts_tokens_delete",
        summary="Revoke one of my API tokens",
        responses={204: None, 409: CONFLICT},
    )
    def delete(self, request, pk):
        api_token_revoke(actor=request.user, token=_own_token(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiTokenRevokeApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_tokens_revoke",
        summary="Revoke one of my API tokens (same as DELETE)",
        request=None,
        responses={200: ApiTokenSerializer, 409: CONFLICT},
    )
    def post(self, request, pk):
        token = api_token_revoke(actor=request.user, token=_own_token(request, pk))
        return Response(ApiTokenSerializer(token).data)


class InvitationSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MembershipInvitation"

    id = serializers.IntegerField()
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField(source="organisation.name")
    role = serializers.CharField()
    role_label = serializers.CharField(source="get_role_display")
    invited_by = serializers.CharField(source="invited_by.name")
    state = serializers.CharField(help_text="pending, accepted or declined.")
    created_at = serializers.DateTimeField()


def _own_invitation(request, pk) -> MembershipInvitation:
    return get_object_or_404(
        MembershipInvitation.objects.select_related("organisation", "invited_by"),
        pk=pk,
        user=request.user,
    )


class InvitationListApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_invitations_list",
        summary="The invitations to a role that await my answer",
        responses={200: InvitationSerializer(many=True)},
    )
    def get(self, request):
        return Response(
            InvitationSerializer(selectors.invitations_of(request.user), many=True).data
        )


class InvitationAcceptApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_invitations_accept",
        summary="Accept an invitation: I hold the role from now",
        request=None,
        responses={200: InvitationSerializer, 409: CONFLICT},
    )
    def post(self, request, pk):
        invitation = _own_invitation(request, pk)
        membership_invitation_accept(actor=request.user, invitation=invitation)
        invitation.refresh_from_db()
        return Response(InvitationSerializer(invitation).data)


class InvitationDeclineApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="accounts_invitations_decline",
        summary="Decline an invitation",
        request=None,
        responses={200: InvitationSerializer, 409: CONFLICT},
    )
    def post(self, request, pk):
        invitation = membership_invitation_decline(
            actor=request.user, invitation=_own_invitation(request, pk)
        )
        return Response(InvitationSerializer(invitation).data)
