from django.urls import path

from . import api

app_name = "notifications_api"
urlpatterns = [
    path("", api.NotificationListApi.as_view(), name="list"),
    path("unread-count/", api.NotificationUnreadCountApi.as_view(), name="unread_count"),
    path("<int:pk>/read/", api.NotificationMarkReadApi.as_view(), name="mark_read"),
    path("read-all/", api.NotificationMarkAllReadApi.as_view(), name="mark_all_read"),
]
