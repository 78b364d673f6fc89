from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="accounts-me"),
    path("invitations/", api.InvitationListApi.as_view(), name="accounts-invitations"),
    path(
        "invitations/<int:pk>/accept/",
        api.InvitationAcceptApi.as_view(),
        name="accounts-invitation-accept",
    ),
    path(
        "invitations/<int:pk>/decline/",
        api.InvitationDeclineApi.as_view(),
        name="accounts-invitation-decline",
    ),
    path("tokens/", api.ApiTokenListCreateApi.as_view(), name="accounts-tokens"),
    path("tokens/<int:pk>/", api.ApiTokenDetailApi.as_view(), name="accounts-token"),
    path("tokens/<int:pk>/revoke/", api.ApiTokenRevokeApi.as_view(), name="accounts-token-revoke"),
]
