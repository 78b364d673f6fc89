from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The top floor: the home page, the one-window dashboard and the language switcher."""

    name = "home"
    verbose_name = _("Home")
