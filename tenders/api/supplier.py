"""The tenders API of a supplier's people: follow tenders, and their own lists."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import Pagination

from .. import selectors, services
from ..models import Clarification, Tender
from .lookups import public_tender
from .serializers import MyQuestionOutputSerializer, TenderSummaryOutputSerializer


class TenderFollowApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="tenders_follow",
        summary=_("Follow a public tender (hear about every change)"),
        request=None,
        responses={204: None},
    )
    def post(self, request, pk):
        services.tender_follow(actor=request.user, tender=public_tender(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        operation_id="tenders_unfollow",
        summary=_("Stop following a tender"),
        responses={204: None},
    )
    def delete(self, request, pk):
        services.tender_unfollow(actor=request.user, tender=public_tender(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


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
