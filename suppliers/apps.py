from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self):
        # suppliers/dashboard.py is discovered by core; the officers' panel lives apart.
        from . import review_dashboard  # noqa: F401
