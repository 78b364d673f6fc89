from django.urls import path

from .api import buyer, member_keys, public, supplier

urlpatterns = [
    path("", public.TenderListApi.as_view(), name="tenders-api-list"),
    path(
        "mine/matching/", supplier.MyMatchingTendersApi.as_view(), name="tenders-api-mine-matching"
    ),
    path(
        "mine/following/",
        supplier.MyFollowedTendersApi.as_view(),
        name="tenders-api-mine-following",
    ),
    path("mine/questions/", supplier.MyQuestionsApi.as_view(), name="tenders-api-mine-questions"),
    path("invited/", supplier.MyInvitedTendersApi.as_view(), name="tenders-api-invited"),
    path("units/", public.UnitListApi.as_view(), name="tenders-api-units"),
    path("opening-key/", member_keys.MyOpeningKeyApi.as_view(), name="tenders-api-opening-key"),
    path(
        "opening-key/rotate/",
        member_keys.MyOpeningKeyRotateApi.as_view(),
        name="tenders-api-opening-key-rotate",
    ),
    path("opening-keys/", member_keys.MyOpeningKeysApi.as_view(), name="tenders-api-opening-keys"),
    path(
        "<int:pk>/key-shares/", member_keys.MyKeySharesApi.as_view(), name="tenders-api-key-shares"
    ),
    path("outages/", buyer.OutageApi.as_view(), name="tenders-api-outages"),
    path("drafts/", buyer.TenderCreateApi.as_view(), name="tenders-api-create"),
    path("<int:pk>/", public.TenderDetailApi.as_view(), name="tenders-api-detail"),
    path("<int:pk>/lots/", buyer.TenderLotsApi.as_view(), name="tenders-api-lots"),
    path("<int:pk>/lots/<int:lot_id>/", buyer.LotDetailApi.as_view(), name="tenders-api-lot"),
    path(
        "<int:pk>/lots/<int:lot_id>/items/",
        buyer.LotItemsApi.as_view(),
        name="tenders-api-lot-items",
    ),
    path(
        "<int:pk>/lots/<int:lot_id>/items/<int:item_id>/",
        buyer.ItemDetailApi.as_view(),
        name="tenders-api-item",
    ),
    path("<int:pk>/documents/", public.TenderDocumentsApi.as_view(), name="tenders-api-documents"),
    path("<int:pk>/submit/", buyer.TenderSubmitApi.as_view(), name="tenders-api-submit"),
    path("<int:pk>/approve/", buyer.TenderApproveApi.as_view(), name="tenders-api-approve"),
    path("<int:pk>/return/", buyer.TenderReturnApi.as_view(), name="tenders-api-return"),
    path("<int:pk>/cancel/", buyer.TenderCancelApi.as_view(), name="tenders-api-cancel"),
    path(
        "<int:pk>/amendments/", public.TenderAmendmentsApi.as_view(), name="tenders-api-amendments"
    ),
    path(
        "<int:pk>/clarifications/",
        public.TenderClarificationsApi.as_view(),
        name="tenders-api-clarifications",
    ),
    path(
        "<int:pk>/clarifications/<int:number>/answer/",
        buyer.ClarificationAnswerApi.as_view(),
        name="tenders-api-clarification-answer",
    ),
    path(
        "<int:pk>/declare-unsuccessful/",
        buyer.TenderDeclareUnsuccessfulApi.as_view(),
        name="tenders-api-declare-unsuccessful",
    ),
    path("<int:pk>/follow/", supplier.TenderFollowApi.as_view(), name="tenders-api-follow"),
    path(
        "<int:pk>/invitations/",
        buyer.TenderInvitationsApi.as_view(),
        name="tenders-api-invitations",
    ),
    path(
        "<int:pk>/invitations/<int:supplier_id>/",
        buyer.TenderInvitationDetailApi.as_view(),
        name="tenders-api-invitation",
    ),
]
