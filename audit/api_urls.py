from django.urls import path, re_path

from . import api

urlpatterns = [
    path("events/", api.EventListApi.as_view(), name="audit-event-list"),
    path("events/<int:seq>/", api.EventDetailApi.as_view(), name="audit-event-detail"),
    path("export/", api.ExportApi.as_view(), name="audit-export"),
    path("checkpoints/", api.CheckpointListApi.as_view(), name="audit-checkpoint-list"),
    re_path(
        r"^checkpoints/(?P<size>latest|[0-9]+)/$",
        api.CheckpointDetailApi.as_view(),
        name="audit-checkpoint-detail",
    ),
    path("keys/", api.KeySetApi.as_view(), name="audit-keys"),
    path("proofs/inclusion/", api.InclusionProofApi.as_view(), name="audit-inclusion-proof"),
    path("proofs/consistency/", api.ConsistencyProofApi.as_view(), name="audit-consistency-proof"),
]
