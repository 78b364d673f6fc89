from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TendersConfig(AppConfig):
    name = "tenders"
    verbose_name = _("Tenders")

    def ready(self):
        # The supplier's panel on the one-window dashboard (tenders/supplier_dashboard.py).
        from . import supplier_dashboard  # noqa: F401
