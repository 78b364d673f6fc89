"""The tenders app's errors: each a `DomainError` with a stable code.

Codes name the room they come from: `tender.*` for the tender's services,
`outage.*` for `outage_record` (whose audit action is `outage.recorded`), and
`api.permission_denied` for every refusal for lack of permission.
"""

from django.utils.translation import gettext_lazy as _

from core.exceptions import (
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    UploadRejected,
)


class TenderInvalidTransition(InvalidTransition):
    code = "tender.invalid_transition"


class TenderNotAllowed(PermissionDenied):
    """Not allowed: the one permission code (core.exceptions.PermissionDenied.code)."""


class TenderNotFound(NotFound):
    code = "tender.not_found"
    title = _("No such tender.")


class TenderNotEditable(DomainError):
    code = "tender.not_editable"
    status = 409
    title = _("Only a draft tender can be changed; after publication, amend it.")


class TenderIncomplete(DomainError):
    """Several problems at once; `params["problems"]` lists each with its field."""

    code = "tender.incomplete"
    status = 422
    title = _("The tender is not ready.")


class InvalidDraft(DomainError):
    """Several fields of a draft refused at once; `params["problems"]` lists each with its field."""

    code = "tender.invalid_draft"
    status = 422
    title = _("Some of the values are not valid.")


class InvalidTenderField(DomainError):
    code = "tender.invalid_field"
    status = 422
    title = _("The value is not valid.")


class ReferenceTaken(DomainError):
    code = "tender.reference_taken"
    status = 409
    title = _("Another tender already has this reference.")


class UnknownCpvCode(DomainError):
    code = "tender.unknown_cpv_code"
    status = 422
    title = _("Unknown CPV code.")


class InvalidAmount(DomainError):
    """A quantity refused (amounts of money are refused by core.money, `money.*`)."""

    code = "tender.invalid_amount"
    status = 422
    title = _("The amount is not valid.")


class CurrencyNotAmendable(DomainError):
    code = "tender.currency_not_amendable"
    status = 422
    title = _("An amendment can change an amount, not its currency.")


class InvalidDate(DomainError):
    code = "tender.invalid_date"
    status = 422
    title = _("The date is not valid.")


class PeriodTooShort(DomainError):
    code = "tender.period_too_short"
    status = 422
    title = _("The tendering period is shorter than the minimum for this procurement method.")


class InvalidEvaluationConfig(DomainError):
    code = "tender.invalid_evaluation_config"
    status = 422
    title = _("The evaluation configuration is not valid.")


class InvalidCommittee(DomainError):
    code = "tender.invalid_committee"
    status = 422
    title = _("The committee is not valid.")


class InvalidApprover(DomainError):
    code = "tender.invalid_approver"
    status = 422
    title = _("The approver is not valid for this tender.")


class FourEyesViolation(DomainError):
    """The same person would both prepare and approve a tender."""

    code = "tender.four_eyes"
    status = 403
    title = _("The officer who prepared a tender cannot approve it.")


class NoLots(DomainError):
    code = "tender.no_lots"
    status = 422
    title = _("A tender needs at least one lot.")


class ReasonRequired(DomainError):
    code = "tender.reason_required"
    status = 422
    title = _("A reason is required.")


class DeadlineNotReached(DomainError):
    code = "tender.deadline_not_reached"
    status = 409
    title = _("The submission deadline has not passed yet.")


class ClarificationPeriodOver(DomainError):
    code = "tender.clarification_period_over"
    status = 409
    title = _("The clarification deadline has passed: questions are no longer accepted.")


class AlreadyAnswered(DomainError):
    code = "tender.already_answered"
    status = 409
    title = _("This question has already been answered.")


class MaterialAmendmentTooLate(DomainError):
    code = "tender.material_amendment_too_late"
    status = 422
    title = _("A material amendment must leave enough time before the submission deadline.")


class NotAmendable(DomainError):
    code = "tender.not_amendable"
    status = 422
    title = _("This part of a published tender cannot be amended.")


class TenderDocumentRejected(UploadRejected):
    code = "tender.document_rejected"
    title = _("The document was not accepted.")


class UnknownTenderDocument(DomainError):
    code = "tender.unknown_document"
    status = 422
    title = _("The tender has no current document with this title.")


class InvalidOutage(DomainError):
    code = "outage.invalid"
    status = 422
    title = _("The outage window is not valid.")


class OutageOverlaps(DomainError):
    code = "outage.overlaps"
    status = 409
    title = _("This window overlaps an outage already recorded.")


class TenderNotPublic(DomainError):
    code = "tender.not_public"
    status = 409
    title = _("The tender is not public.")


# --- restricted tenders: invitations ------------------------------------------------------------


class TenderNotRestricted(DomainError):
    code = "tender.not_restricted"
    status = 409
    title = _("Only a restricted tender has invited suppliers.")


class SupplierNotEligible(DomainError):
    """`params["reasons"]` lists why, each with its `supplier.*` code."""

    code = "tender.supplier_not_eligible"
    status = 422
    title = _("Only a supplier that may bid now can be invited.")


class AlreadyInvited(DomainError):
    code = "tender.already_invited"
    status = 409
    title = _("This supplier is already invited.")


class InvitationNotFound(NotFound):
    code = "tender.invitation_not_found"
    title = _("This supplier is not invited to the tender.")


class NotInvited(DomainError):
    code = "tender.not_invited"
    status = 403
    title = _("This tender is restricted: only the invited suppliers may take part.")


class TooFewInvitations(DomainError):
    code = "tender.too_few_invitations"
    status = 422
    title = _("A restricted tender needs more invited suppliers.")


class InvitationsNotAllowed(DomainError):
    code = "tender.invitations_not_allowed"
    status = 422
    title = _("Only a restricted tender may have invited suppliers.")


class OpeningCommitteeNotReady(DomainError):
    """Publication refused: the opening committee cannot hold the tender keys."""

    code = "tender.opening_committee_not_ready"
    status = 409
    title = _("The opening committee is not ready to hold the tender's keys.")


class MemberKeyMissing(DomainError):
    """Publication refused: an opening committee member has no opening key yet."""

    code = "tender.member_key_missing"
    status = 409
    title = _("An opening committee member has no opening key yet.")


class MalformedMemberKey(DomainError):
    code = "member_key.malformed"
    status = 422
    title = _("This is not an opening key file.")


class MemberKeyExists(DomainError):
    code = "member_key.exists"
    status = 409
    title = _("You already have an opening key: change its passphrase or rotate it.")


class NoMemberKey(DomainError):
    code = "member_key.none"
    status = 409
    title = _("You have no opening key yet.")


class MemberKeyDiffers(DomainError):
    code = "member_key.not_the_same_key"
    status = 409
    title = _("This key file holds another key pair: changing the passphrase keeps the same key.")


class MemberKeyReused(DomainError):
    code = "member_key.reused"
    status = 409
    title = _("This key pair is already registered: rotating needs a new key pair.")


class MemberKeyInUse(DomainError):
    code = "member_key.in_use"
    status = 409
    title = _("The key holds shares of a published tender that is not yet opened.")
