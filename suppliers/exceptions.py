from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError, InvalidTransition, PermissionDenied, UploadRejected


class SupplierInvalidTransition(InvalidTransition):
    code = "supplier.invalid_transition"


class SupplierNotAllowed(PermissionDenied):
    """Not allowed: the one permission code (core.exceptions.PermissionDenied.code)."""


class SupplierIncomplete(DomainError):
    code = "supplier.incomplete"
    status = 422
    title = _("The registration is not complete.")


class RegistrationNumberTaken(DomainError):
    code = "supplier.registration_number_taken"
    status = 409
    title = _("A supplier with this registration number is already registered in this country.")


class UnknownCpvCode(DomainError):
    code = "supplier.unknown_cpv_code"
    status = 422
    title = _("Unknown CPV code.")


class NotEditable(DomainError):
    code = "supplier.not_editable"
    status = 409
    title = _("The registration cannot be changed while it is being verified.")


class DocumentRejected(UploadRejected):
    code = "supplier.document_rejected"
    status = 422
    title = _("The document was not accepted.")


class UnknownDocumentKind(DomainError):
    code = "supplier.unknown_document_kind"
    status = 422
    title = _("Unknown kind of document.")


class UnknownChangeTarget(DomainError):
    code = "supplier.unknown_change_target"
    status = 422
    title = _("Unknown field or document kind.")


class ReasonRequired(DomainError):
    code = "supplier.reason_required"
    status = 422
    title = _("A reason is required.")


class InvalidDate(DomainError):
    code = "supplier.invalid_date"
    status = 422
    title = _("The date is not valid.")


class UnknownCountry(DomainError):
    code = "supplier.unknown_country"
    status = 422
    title = _("Unknown country: give an ISO 3166-1 alpha-2 code.")
