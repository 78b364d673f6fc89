from django.urls import path

from .api import EventListApi

urlpatterns = [
    path("events/", EventListApi.as_view(), name="audit-event-list"),
]
