from django.urls import path

from . import feeds, views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="events"),
    path(
        "object/<str:object_type>/<str:object_id>/", views.object_timeline, name="object_timeline"
    ),
    path("export/", views.export, name="export"),
    path("verify/", views.verify, name="verify"),
    # Public: no account needed.
    path("checkpoints/", views.checkpoints, name="checkpoints"),
    path("checkpoints/feed/", feeds.CheckpointsFeed(), name="checkpoints_feed"),
    path("checkpoints/<int:size>.json", views.checkpoint_download, name="checkpoint"),
    path("keys.json", views.keys, name="keys"),
]
