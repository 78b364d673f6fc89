from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # Ahead of Django's own `i18n/` include (config/urls.py includes this module first),
    # so that the choice is also remembered on the signed-in user.
    path("i18n/setlang/", views.set_language, name="set_language"),
]
