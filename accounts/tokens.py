"""One-time tokens for links sent by email."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A token proving that the holder reads mail sent to the user's address.

    Keyed on the address and on `email_verified_at`, so it works once (the
    verification sets that field) and dies when the address changes. Valid for
    EMAIL_VERIFICATION_MAX_AGE_DAYS days.
    """

    key_salt = "accounts.tokens.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        verified_at = "" if user.email_verified_at is None else user.email_verified_at.isoformat()
        return f"{user.pk}{user.email}{verified_at}{timestamp}"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            timestamp_b36, _hash = token.split("-")
            timestamp = base36_to_int(timestamp_b36)
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(
                self._make_token_with_timestamp(user, timestamp, secret), token
            ):
                break
        else:
            return False
        max_age = settings.EMAIL_VERIFICATION_MAX_AGE_DAYS * 24 * 60 * 60
        return 0 <= self._num_seconds(self._now()) - timestamp <= max_age


email_verification_token = EmailVerificationTokenGenerator()


ENROLMENT_SALT = "accounts.tokens.two_factor_enrolment"


def make_enrolment_token(enrolment) -> str:
    """The signed, URL-safe token of an enrolment link: it names the row and its user."""
    return signing.dumps({"e": enrolment.pk, "u": enrolment.user_id}, salt=ENROLMENT_SALT)


def read_enrolment_token(token: str) -> tuple[int, int] | None:
    """(enrolment id, user id) if `token` is ours and younger than the enrolment's life."""
    max_age = settings.TWO_FACTOR_ENROLMENT_MAX_AGE_MINUTES * 60
    try:
        data = signing.loads(token, salt=ENROLMENT_SALT, max_age=max_age)
        return int(data["e"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
