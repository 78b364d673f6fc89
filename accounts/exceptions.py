from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError, InvalidTransition, PermissionDenied, ValidationFailed


class UnknownLanguage(DomainError):
    code = "accounts.unknown_language"
    title = _("This language is not offered.")


class EmailTaken(ValidationFailed):
    code = "accounts.email_taken"
    title = _("An account with this email address already exists.")


class PasswordRejected(ValidationFailed):
    code = "accounts.password_rejected"
    title = _("This password is not accepted.")


class InvalidVerificationLink(DomainError):
    code = "accounts.invalid_verification_link"
    title = _("This verification link is invalid or has expired.")


class EmailAlreadyVerified(DomainError):
    code = "accounts.email_already_verified"
    status = 409
    title = _("Your email address is already verified.")


class InvalidOtpToken(DomainError):
    code = "accounts.invalid_otp_token"
    title = _("This code is not valid. Check your authenticator app and try again.")


class OtpThrottled(DomainError):
    code = "accounts.otp_throttled"
    status = 429
    title = _("Too many wrong codes. Wait a moment before you try again.")


class TwoFactorAlreadyEnabled(DomainError):
    code = "accounts.two_factor_already_enabled"
    status = 409
    title = _("Two-factor authentication is already set up.")


class TwoFactorNotEnabled(DomainError):
    code = "accounts.two_factor_not_enabled"
    status = 409
    title = _("Two-factor authentication is not set up.")


class TwoFactorRequired(PermissionDenied):
    """Two-factor authentication required: one code whoever refuses (middleware, API, service)."""

    code = "accounts.two_factor_required"
    title = _("Your roles require two-factor authentication; it cannot be turned off.")


class InvalidTokenExpiry(ValidationFailed):
    code = "accounts.invalid_token_expiry"
    title = _("A token must expire within the allowed number of days.")


class ApiTokenLimitReached(DomainError):
    code = "accounts.api_token_limit_reached"
    status = 409
    title = _("You have too many active API tokens. Revoke one first.")


class ApiTokenAlreadyRevoked(DomainError):
    code = "accounts.api_token_already_revoked"
    status = 409
    title = _("This API token is already revoked.")


class ApiTokenNeedsSession(PermissionDenied):
    code = "accounts.api_token_needs_session"
    title = _("API tokens can only be created from a signed-in browser session.")


class RoleNotAllowed(ValidationFailed):
    code = "accounts.role_not_allowed"
    title = _("This role cannot be given in this kind of organisation.")


class MembershipExists(DomainError):
    code = "accounts.membership_exists"
    status = 409
    title = _("This person already holds this role in this organisation.")


class MembershipAlreadyRevoked(DomainError):
    code = "accounts.membership_already_revoked"
    status = 409
    title = _("This membership is already revoked.")


class EnrolmentProofRequired(PermissionDenied):
    code = "accounts.enrolment_proof_required"
    title = _(
        "Setting up an authenticator needs a one-time link from your email, "
        "or one from a platform administrator."
    )


class EmailNotVerified(DomainError):
    code = "accounts.email_not_verified"
    status = 409
    title = _("Verify your email address first: the link is sent there.")


class InvalidEnrolmentLink(DomainError):
    code = "accounts.invalid_enrolment_link"
    title = _("This enrolment link is invalid, used or expired. Ask for a new one.")


class InvitationPending(DomainError):
    code = "accounts.invitation_pending"
    status = 409
    title = _("This person is already invited to this role; the invitation awaits their answer.")


class InvitationNotPending(InvalidTransition):
    code = "accounts.invitation_not_pending"
    status = 409
    title = _("This invitation has already been answered.")
