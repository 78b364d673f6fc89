"""DRF authentication by personal API token: `Authorization: Bearer pnj_…`."""

import hashlib
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .exceptions import TwoFactorRequired
from .models import ApiToken
from .permissions import requires_two_factor

TOKEN_PREFIX = "pnj_"  # noqa: S105 - the public prefix, not a secret


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed authorization header."))
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Malformed authorization header.")) from exc
        parts = raw.split("_")
        if len(parts) != 3 or f"{parts[0]}_" != TOKEN_PREFIX:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
        now = timezone.now()
        if (
            token is None
            or not hmac.compare_digest(token.token_hash, hash_token(raw))
            or not token.is_usable(now)
            or not token.user.is_active
        ):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        if not token.second_factor_verified and requires_two_factor(token.user):
            # Made before the user's roles required 2FA, or without it: not enough now.
            raise exceptions.PermissionDenied(
                _(
                    "Your roles require two-factor authentication: make a new token from a "
                    "session verified with it."
                ),
                code=TwoFactorRequired.code,
            )
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
