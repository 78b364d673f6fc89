from django.urls import path

from . import api

urlpatterns = [
    path("", api.TenderListApi.as_view(), name="tenders-api-list"),
    path("mine/matching/", api.MyMatchingTendersApi.as_view(), name="tenders-api-mine-matching"),
    path("mine/following/", api.MyFollowedTendersApi.as_view(), name="tenders-api-mine-following"),
    path("mine/questions/", api.MyQuestionsApi.as_view(), name="tenders-api-mine-questions"),
    path("invited/", api.MyInvitedTendersApi.as_view(), name="tenders-api-invited"),
    path("outages/", api.OutageApi.as_view(), name="tenders-api-outages"),
    path("drafts/", api.TenderCreateApi.as_view(), name="tenders-api-create"),
    path("<int:pk>/", api.TenderDetailApi.as_view(), name="tenders-api-detail"),
    path("<int:pk>/lots/", api.TenderLotsApi.as_view(), name="tenders-api-lots"),
    path("<int:pk>/lots/<int:lot_id>/", api.LotDetailApi.as_view(), name="tenders-api-lot"),
    path(
        "<int:pk>/lots/<int:lot_id>/items/",
        api.LotItemsApi.as_view(),
        name="tenders-api-lot-items",
    ),
    path(
        "<int:pk>/lots/<int:lot_id>/items/<int:item_id>/",
        api.ItemDetailApi.as_view(),
        name="tenders-api-item",
    ),
    path("<int:pk>/documents/", api.TenderDocumentsApi.as_view(), name="tenders-api-documents"),
    path("<int:pk>/submit/", api.TenderSubmitApi.as_view(), name="tenders-api-submit"),
    path("<int:pk>/approve/", api.TenderApproveApi.as_view(), name="tenders-api-approve"),
    path("<int:pk>/return/", api.TenderReturnApi.as_view(), name="tenders-api-return"),
    path("<int:pk>/cancel/", api.TenderCancelApi.as_view(), name="tenders-api-cancel"),
    path("<int:pk>/amendments/", api.TenderAmendmentsApi.as_view(), name="tenders-api-amendments"),
    path(
        "<int:pk>/clarifications/",
        api.TenderClarificationsApi.as_view(),
        name="tenders-api-clarifications",
    ),
    path(
        "<int:pk>/clarifications/<int:number>/answer/",
        api.ClarificationAnswerApi.as_view(),
        name="tenders-api-clarification-answer",
    ),
    path(
        "<int:pk>/declare-unsuccessful/",
        api.TenderDeclareUnsuccessfulApi.as_view(),
        name="tenders-api-declare-unsuccessful",
    ),
    path("<int:pk>/follow/", api.TenderFollowApi.as_view(), name="tenders-api-follow"),
    path(
        "<int:pk>/invitations/",
        api.TenderInvitationsApi.as_view(),
        name="tenders-api-invitations",
    ),
    path(
        "<int:pk>/invitations/<int:supplier_id>/",
        api.TenderInvitationDetailApi.as_view(),
        name="tenders-api-invitation",
    ),
]
