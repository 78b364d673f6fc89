from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class UnknownLanguage(DomainError):
    code = "accounts.unknown_language"
    title = _("This language is not offered.")
