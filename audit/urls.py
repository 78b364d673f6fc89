from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path(
        "object/<str:object_type>/<str:object_id>/", views.object_timeline, name="object_timeline"
    ),
    path("export/", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
]
