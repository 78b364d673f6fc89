from django.urls import path

from . import public_api

urlpatterns = [
    path("", public_api.DebarmentListApi.as_view(), name="debarments-list"),
]
