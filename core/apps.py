from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # Each app's dashboard panels register themselves.
        autodiscover_modules("dashboard")
        from . import checks  # noqa: F401  (system checks)
