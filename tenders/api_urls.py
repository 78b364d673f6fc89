from django.urls import path

from . import api

urlpatterns = [
    path("", api.TenderListApi.as_view(), name="tenders-api-list"),
    path("drafts/", api.TenderCreateApi.as_view(), name="tenders-api-create"),
    path("<int:pk>/", api.TenderDetailApi.as_view(), name="tenders-api-detail"),
    path("<int:pk>/lots/", api.TenderLotsApi.as_view(), name="tenders-api-lots"),
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
    path("<int:pk>/follow/", api.TenderFollowApi.as_view(), name="tenders-api-follow"),
]
