from django.urls import path

from . import review_views

app_name = "supplier_review"
urlpatterns = [
    path("", review_views.queue, name="queue"),
    path("<int:pk>/", review_views.detail, name="detail"),
    path("<int:pk>/verify/", review_views.decide, {"decision": "verify"}, name="verify"),
    path(
        "<int:pk>/request-changes/",
        review_views.decide,
        {"decision": "request_changes"},
        name="request_changes",
    ),
    path("<int:pk>/suspend/", review_views.decide, {"decision": "suspend"}, name="suspend"),
    path("<int:pk>/reinstate/", review_views.decide, {"decision": "reinstate"}, name="reinstate"),
    path("<int:pk>/debar/", review_views.decide, {"decision": "debar"}, name="debar"),
    path(
        "<int:pk>/end-debarment/",
        review_views.decide,
        {"decision": "end_debarment"},
        name="end_debarment",
    ),
]
