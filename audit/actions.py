"""What each action code on the trail means, as a sentence people read.

The trail stores codes (`tender.published`): short, stable, in one language,
and hashed. The auditor's pages and exports show the sentence ("Tender
published"), translated. This is the one registry of those sentences: every
code the code base records has its line here, and
tests/audit/test_action_sentences.py fails when a service records a code
without one. Codes are data, not imports, so audit names the higher floors'
actions without importing them.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    # accounts: people, organisations, memberships, tokens
    "user.signed_up": _("Account created"),
    "user.email_verification_requested": _("E-mail address confirmation requested"),
    "user.email_verified": _("E-mail address confirmed"),
    "user.logged_in": _("Signed in"),
    "user.logged_out": _("Signed out"),
    "user.password_reset_requested": _("Password reset requested"),
    "user.password_reset": _("Password reset"),
    "user.password_changed": _("Password changed"),
    "user.profile_updated": _("Profile changed"),
    "user.language_changed": _("Language changed"),
    "user.updated": _("Account changed by an administrator"),
    "user.two_factor_enrolment_requested": _("Two-factor set-up requested"),
    "user.two_factor_enrolment_issued": _("Two-factor set-up link issued"),
    "user.two_factor_enrolment_opened": _("Two-factor set-up link opened"),
    "user.two_factor_enabled": _("Two-factor authentication turned on"),
    "user.two_factor_disabled": _("Two-factor authentication turned off"),
    "user.recovery_codes_regenerated": _("Recovery codes replaced"),
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
    "organisation.created": _("Organisation created"),
    "organisation.updated": _("Organisation changed"),
    "membership.granted": _("Role granted"),
    "membership.revoked": _("Role withdrawn"),
    "membership.invited": _("Person invited to a role"),
    "membership.accepted": _("Invitation accepted"),
    "membership.declined": _("Invitation declined"),
    "organisation.renamed": _("Organisation renamed"),
    # suppliers
    "supplier.registered": _("Supplier registration started"),
    "supplier.updated": _("Supplier details changed"),
    "supplier.document_uploaded": _("Supplier document uploaded"),
    "supplier.documents_renewed": _("Supplier documents renewed"),
    "supplier.submitted": _("Supplier registration submitted for verification"),
    "supplier.changes_requested": _("Changes requested from the supplier"),
    "supplier.verified": _("Supplier verified"),
    "supplier.suspended": _("Supplier suspended"),
    "supplier.reinstated": _("Supplier reinstated"),
    "supplier.debarred": _("Supplier debarred"),
    "supplier.debarment_ended": _("Supplier debarment ended"),
    "supplier.document_expiry_warned": _("Supplier warned of a document expiring"),
    "supplier.documents_expired": _("Supplier documents expired"),
    # tenders
    "tender.created": _("Tender drafted"),
    "tender.updated": _("Tender draft changed"),
    "tender.lot_added": _("Lot added"),
    "tender.lot_updated": _("Lot changed"),
    "tender.lot_removed": _("Lot removed"),
    "tender.item_added": _("Item added"),
    "tender.item_updated": _("Item changed"),
    "tender.item_removed": _("Item removed"),
    "tender.document_uploaded": _("Tender document uploaded"),
    "tender.invitation_added": _("Supplier invited"),
    "tender.invitation_removed": _("Invitation withdrawn"),
    "tender.submitted_for_approval": _("Tender sent for approval"),
    "tender.returned_to_draft": _("Tender returned to its officer"),
    "tender.published": _("Tender published"),
    "tender.clarification_asked": _("Clarification question asked"),
    "tender.clarification_answered": _("Clarification question answered"),
    "tender.amended": _("Tender amended"),
    "tender.closed": pgettext_lazy("tender event", "Tender closed for bids"),
    "tender.reopened": _("Tender reopened after an outage"),
    "tender.cancelled": _("Tender cancelled"),
    "tender.unsuccessful": _("Tender declared unsuccessful"),
    "outage.recorded": _("Platform outage recorded"),
    "tender.committee_member_added": _("Committee member named"),
    "tender.committee_member_removed": _("Committee member removed"),
    "member_key.created": _("Opening key registered"),
    "member_key.rewrapped": _("Opening key's passphrase changed"),
    "member_key.rotated": _("Opening key replaced"),
    # bids
    "bid.submitted": _("Sealed bid submitted"),
    "bid.superseded": _("Bid replaced by a new version"),
    "bid.withdrawn": _("Bid withdrawn"),
    "bid.confirmation_requested": _("Bidder asked to confirm the bid after an amendment"),
    "bid.confirmed": _("Bid confirmed after an amendment"),
    # the record itself
    "person.erased": _("Person's name and e-mail address erased"),
    "outbox.requeued": _("Failed messages sent again"),
    "demo.loaded": _("Demonstration data loaded"),
}


def sentence(action: str) -> str:
    """The sentence for `action`, in the active language; the code itself when it has none."""
    text = ACTIONS.get(action)
    return str(text) if text is not None else action


def choices() -> list[tuple[str, str]]:
    """(code, sentence) for every action, sorted by the sentence in the active language."""
    return sorted(((code, str(text)) for code, text in ACTIONS.items()), key=lambda c: c[1])
