from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the database role check)

        # Each app's dashboard panels and outbox handlers register themselves.
        autodiscover_modules("dashboard")
        autodiscover_modules("outbox_handlers")
        from . import notification_panel  # noqa: F401  (core's own dashboard item)
