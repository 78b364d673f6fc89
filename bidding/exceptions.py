"""The bidding app's errors: each a `DomainError` with a stable `bid.*` code."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError, InvalidTransition, NotFound, PermissionDenied


class BidNotAllowed(PermissionDenied):
    """Not allowed: the one permission code (core.exceptions.PermissionDenied.code)."""


class BidNotFound(NotFound):
    code = "bid.not_found"
    title = _("No such bid.")


class BidInvalidTransition(InvalidTransition):
    code = "bid.invalid_transition"


class SupplierNotEligible(DomainError):
    code = "bid.supplier_not_eligible"
    status = 403
    title = _("The supplier may not bid now.")


class SupplierNotInvited(DomainError):
    code = "bid.supplier_not_invited"
    status = 403
    title = _("Only invited suppliers may bid for this restricted tender.")


class TenderNotTakingBids(DomainError):
    code = "bid.tender_not_taking_bids"
    status = 409
    title = _("The tender does not take bids.")


class DeadlinePassed(DomainError):
    code = "bid.deadline_passed"
    status = 409
    title = _("The submission deadline has passed.")


class TenderKeyMissing(DomainError):
    code = "bid.tender_key_missing"
    status = 409
    title = _("The tender has no published key for this envelope.")


class EnvelopeRejected(DomainError):
    """A malformed envelope: `params["reason"]` names the refusal of docs/sealing.md."""

    code = "bid.envelope_rejected"
    status = 422
    title = _("The envelope was not accepted.")


class EnvelopeTooLarge(EnvelopeRejected):
    code = "bid.envelope_too_large"
    status = 413
    title = _("The envelope is larger than the platform accepts.")


class WrongEnvelopes(DomainError):
    code = "bid.wrong_envelopes"
    status = 422
    title = _("The bid does not carry the envelopes the tender asks for.")


class WrongBidVersion(DomainError):
    code = "bid.wrong_version"
    status = 409
    title = _("The envelopes are sealed for another version of the bid.")


class IdempotencyKeyReused(DomainError):
    code = "bid.idempotency_key_reused"
    status = 422
    title = _("This Idempotency-Key was used for another submission.")


class InvalidIdempotencyKey(DomainError):
    code = "bid.invalid_idempotency_key"
    status = 400
    title = _("Send an Idempotency-Key header of 1 to 100 visible ASCII characters.")
