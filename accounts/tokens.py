"""One-time tokens for links sent by email."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
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
