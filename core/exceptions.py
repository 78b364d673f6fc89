"""The one family of errors that services raise.

A `DomainError` carries a stable machine code (`tender.deadline_passed`), a
translatable message and parameters. The API turns it into RFC 9457
problem+json (`core.api`); HTML views turn it into a form error
(`core.forms.add_domain_error`). Each app subclasses it in its own
`exceptions.py`.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "core.domain_error"
    status = 400
    title = _("The request cannot be carried out.")

    def __init__(self, message=None, *, code=None, params=None, field=None):
        self.message = message if message is not None else self.title
        if code is not None:
            self.code = code
        self.params = params or {}
        # The form field the error belongs to, when there is one.
        self.field = field
        super().__init__(str(self.message))

    def __str__(self):
        return str(self.message)


class PermissionDenied(DomainError):
    """Not allowed. One code whichever layer refuses: a service, a DRF permission or a page."""

    code = "api.permission_denied"
    status = 403
    title = _("You are not allowed to do this.")


class NotFound(DomainError):
    code = "core.not_found"
    status = 404
    title = _("Not found.")


class InvalidTransition(DomainError):
    code = "core.invalid_transition"
    status = 409
    title = _("This action is not possible in the object's current state.")


class ValidationFailed(DomainError):
    code = "core.validation_failed"
    status = 422
    title = _("The data is not valid.")


class UploadRejected(ValidationFailed):
    """An uploaded file refused by `core.uploads.check_upload`; each app names its own."""

    code = "core.upload_rejected"
    title = _("The document was not accepted.")


class InvalidMoney(ValidationFailed):
    """An amount or a currency refused by `core.money` (the same code in every app)."""

    code = "money.invalid"
    title = _("The amount is not valid.")


class InvalidAmount(InvalidMoney):
    code = "money.invalid_amount"
    title = _("The amount is not valid.")


class TooManyDecimals(InvalidMoney):
    code = "money.too_many_decimals"
    title = _("The amount has more decimal places than its currency.")


class UnknownCurrency(InvalidMoney):
    code = "money.unknown_currency"
    title = _("Unknown currency: give an ISO 4217 code.")


class CurrencyNotAccepted(InvalidMoney):
    code = "money.currency_not_accepted"
    title = _("The platform does not accept this currency.")


class CurrencyMismatch(InvalidMoney):
    code = "money.currency_mismatch"
    title = _("The amounts are in different currencies.")
