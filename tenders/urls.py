from django.urls import path

from . import feeds, member_key_views, views

app_name = "tenders"
urlpatterns = [
    path("", views.tender_list, name="list"),
    path("feed/", feeds.NoticesFeed(), name="feed"),
    path("matching/", views.matching, name="matching"),
    path("following/", views.following, name="following"),
    path("questions/", views.my_questions, name="questions"),
    path("invited/", views.invited, name="invited"),
    path("opening-key/", member_key_views.opening_key, name="opening_key"),
    path(
        "opening-key/<str:fingerprint>.json",
        member_key_views.opening_key_download,
        name="opening_key_download",
    ),
    path("<int:pk>/follow/", views.follow, name="follow"),
    path("<int:pk>/unfollow/", views.unfollow, name="unfollow"),
    path("<int:pk>/ask/", views.ask, name="ask"),
    path("<str:key>/", views.notice, name="notice"),
]
