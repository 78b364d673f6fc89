from django.urls import path

from . import api

urlpatterns = [
    path("", api.SupplierRegisterApi.as_view(), name="suppliers-api-register"),
    path("mine/", api.SupplierMineApi.as_view(), name="suppliers-api-mine"),
    path("cpv/", api.CpvSearchApi.as_view(), name="suppliers-api-cpv"),
    path("<int:pk>/", api.SupplierDetailApi.as_view(), name="suppliers-api-detail"),
    path("<int:pk>/submit/", api.SupplierSubmitApi.as_view(), name="suppliers-api-submit"),
    path("<int:pk>/documents/", api.SupplierDocumentsApi.as_view(), name="suppliers-api-documents"),
    path(
        "<int:pk>/documents/<int:doc_pk>/download/",
        api.SupplierDocumentDownloadApi.as_view(),
        name="suppliers-api-document-download",
    ),
    path(
        "<int:pk>/representatives/",
        api.SupplierRepresentativesApi.as_view(),
        name="suppliers-api-representatives",
    ),
]
