from django.urls import path

from . import public_views

app_name = "debarments"
urlpatterns = [
    path("", public_views.debarment_list, name="list"),
]
