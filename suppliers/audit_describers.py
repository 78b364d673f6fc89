"""How the audit trail's pages name suppliers.

Mapped to their object type in `settings.AUDIT_DESCRIBERS` (audit.describers).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.describers import SEARCH_LIMIT, ModelDescriber, in_language

from .models import Supplier


class SupplierDescriber(ModelDescriber):
    """A supplier by its legal name in the reader's language."""

    model = Supplier
    kind = _("Supplier")

    def names(self, ids):
        numbers = [int(i) for i in ids if str(i).isdigit()]
        suppliers = Supplier.objects.filter(pk__in=numbers).only("legal_name", "legal_name_fa")
        return {str(supplier.pk): in_language(supplier, "legal_name") for supplier in suppliers}

    def search(self, text):
        return Supplier.objects.filter(
            Q(legal_name__icontains=text) | Q(legal_name_fa__icontains=text)
        ).values_list("pk", flat=True)[:SEARCH_LIMIT]
