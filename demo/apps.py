from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo loader, above every domain app: it calls each app's demo module in order."""

    name = "demo"
    verbose_name = _("Demo data")
