"""A committee member's opening key over the API: what `panjere` and the member's page call.

The member's device makes the key pair and encrypts the private key under the
passphrase; only the key file (JSON, `panjere_client.member_keys`) is sent
here. The answers give the member their own key file back, to unlock on their
device at an opening, and their own sealed shares of a tender's keys.
"""

import json

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import Perm, has_perm
from core.permissions import HasPerm

from .. import selectors, services
from ..exceptions import NoMemberKey, TenderNotAllowed, TenderNotFound
from .serializers import PROBLEM


class KeyFileInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MemberKeyFileInput"

    key_file = serializers.JSONField(
        help_text=_("The member key file made on your device: its JSON, or its text.")
    )


class MemberKeyOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MemberKeyOutput"

    fingerprint = serializers.CharField()
    public_key = serializers.CharField()
    created_at = serializers.DateTimeField()
    rewrapped_at = serializers.DateTimeField(allow_null=True)
    retired_at = serializers.DateTimeField(allow_null=True)
    key_file = serializers.SerializerMethodField()

    def get_key_file(self, key) -> dict:
        return json.loads(key.key_file)


def _key_file_text(request) -> str:
    serializer = KeyFileInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    value = serializer.validated_data["key_file"]
    return value if isinstance(value, str) else json.dumps(value)


def _answer(key, code=status.HTTP_200_OK) -> Response:
    return Response(MemberKeyOutputSerializer(key).data, status=code)


class MyOpeningKeyApi(APIView):
    # Committee members only (HOLD_OPENING_KEY); the services check it again.
    permission_classes = [HasPerm.of(Perm.HOLD_OPENING_KEY)]

    @extend_schema(
        operation_id="opening_key_get",
        summary=_("Your current opening key and its encrypted key file"),
        responses={200: MemberKeyOutputSerializer, 409: PROBLEM},
    )
    def get(self, request):
        key = selectors.current_member_key(request.user)
        if key is None:
            raise NoMemberKey()
        return _answer(key)

    @extend_schema(
        operation_id="opening_key_create",
        summary=_("Register your first opening key (a committee member)"),
        request=KeyFileInputSerializer,
        responses={201: MemberKeyOutputSerializer, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
    )
    def post(self, request):
        key = services.member_key_create(actor=request.user, key_file=_key_file_text(request))
        return _answer(key, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="opening_key_rewrap",
        summary=_("Replace your key file by the same key under a new passphrase"),
        request=KeyFileInputSerializer,
        responses={200: MemberKeyOutputSerializer, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
    )
    def put(self, request):
        key = services.member_key_rewrap(actor=request.user, key_file=_key_file_text(request))
        return _answer(key)


class MyOpeningKeyRotateApi(APIView):
    # Committee members only (HOLD_OPENING_KEY); the services check it again.
    permission_classes = [HasPerm.of(Perm.HOLD_OPENING_KEY)]

    @extend_schema(
        operation_id="opening_key_rotate",
        summary=_("Replace your opening key by a new key pair"),
        request=KeyFileInputSerializer,
        responses={201: MemberKeyOutputSerializer, 403: PROBLEM, 409: PROBLEM, 422: PROBLEM},
    )
    def post(self, request):
        key = services.member_key_rotate(actor=request.user, key_file=_key_file_text(request))
        return _answer(key, status.HTTP_201_CREATED)


class MyOpeningKeysApi(APIView):
    # Committee members only (HOLD_OPENING_KEY); the services check it again.
    permission_classes = [HasPerm.of(Perm.HOLD_OPENING_KEY)]

    @extend_schema(
        operation_id="opening_keys_list",
        summary=_("Every opening key you have had, retired ones included"),
        responses={200: MemberKeyOutputSerializer(many=True)},
    )
    def get(self, request):
        keys = selectors.member_keys(request.user)
        return Response(MemberKeyOutputSerializer(keys, many=True).data)


class ShareDocumentOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "KeyShareDocument"

    tender = serializers.CharField()
    kind = serializers.CharField()
    member = serializers.CharField()
    tender_key = serializers.CharField()
    member_key = serializers.CharField()
    sealed_share = serializers.CharField()


class MyKeySharesApi(APIView):
    """The share documents `panjere share open` and `PanjereSealing.openShare` read."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_my_key_shares",
        summary=_("Your sealed shares of a tender's keys (an opening committee member)"),
        responses={200: ShareDocumentOutputSerializer(many=True), 403: PROBLEM, 404: PROBLEM},
    )
    def get(self, request, pk):
        tender = selectors.public_tenders().filter(pk=pk).first()
        if tender is None:
            raise TenderNotFound()
        if not has_perm(request.user, Perm.READ_KEY_SHARES, tender):
            raise TenderNotAllowed()
        documents = [
            {
                "tender": tender.ocid,
                "kind": share.tender_key.kind,
                "member": str(share.member_id),
                "tender_key": share.tender_key.fingerprint,
                "member_key": share.member_key.fingerprint,
                "sealed_share": share.sealed_share,
            }
            for share in selectors.member_key_shares(user=request.user, tender=tender)
        ]
        return Response(ShareDocumentOutputSerializer(documents, many=True).data)
