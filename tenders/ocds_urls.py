from django.urls import path

from . import ocds_api

urlpatterns = [
    path("releases/", ocds_api.ReleaseListApi.as_view(), name="ocds-releases"),
    path("releases/<str:release_id>/", ocds_api.ReleaseDetailApi.as_view(), name="ocds-release"),
    path("records/<str:ocid>/", ocds_api.RecordDetailApi.as_view(), name="ocds-record"),
]
