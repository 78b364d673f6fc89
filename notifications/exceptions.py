from django.utils.translation import gettext_lazy as _

from core.exceptions import PermissionDenied


class NotRecipient(PermissionDenied):
    title = _("This notification is not yours.")
