from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MeApi.as_view(), name="accounts-me"),
    path("tokens/", api.ApiTokenListCreateApi.as_view(), name="accounts-tokens"),
    path("tokens/<int:pk>/", api.ApiTokenDetailApi.as_view(), name="accounts-token"),
    path("tokens/<int:pk>/revoke/", api.ApiTokenRevokeApi.as_view(), name="accounts-token-revoke"),
]
