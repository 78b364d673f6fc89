"""What the audit trail refuses."""

from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


class UnrecordablePayload(DomainError):
    """A payload the trail cannot hash faithfully (a float, a huge integer) or must not hold."""

    code = "audit.unrecordable_payload"
    status = 500
    title = _("This action's record holds a value the audit trail cannot keep.")


class ChainHeadMissing(DomainError):
    """The chain head row is gone: appending would silently start a new chain."""

    code = "audit.chain_head_missing"
    status = 503
    title = _(
        "The audit trail's chain head is missing: nothing can be recorded until an operator "
        "restores it."
    )


class ProofUnavailable(DomainError):
    code = "audit.proof_unavailable"
    status = 400
    title = _("No such proof: the sizes or the sequence number are outside the signed trail.")
