from django.urls import path

from . import review_api

urlpatterns = [
    path("", review_api.ReviewQueueApi.as_view(), name="supplier-review-queue"),
    path("<int:pk>/", review_api.ReviewDetailApi.as_view(), name="supplier-review-detail"),
    path("<int:pk>/verify/", review_api.VerifyApi.as_view(), name="supplier-review-verify"),
    path(
        "<int:pk>/request-changes/",
        review_api.RequestChangesApi.as_view(),
        name="supplier-review-request-changes",
    ),
    path("<int:pk>/suspend/", review_api.SuspendApi.as_view(), name="supplier-review-suspend"),
    path(
        "<int:pk>/reinstate/", review_api.ReinstateApi.as_view(), name="supplier-review-reinstate"
    ),
    path("<int:pk>/debar/", review_api.DebarApi.as_view(), name="supplier-review-debar"),
    path(
        "<int:pk>/end-debarment/",
        review_api.EndDebarmentApi.as_view(),
        name="supplier-review-end-debarment",
    ),
]
