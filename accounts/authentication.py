"""DRF authentication by personal API token: `Authorization: Bearer pnj_…`."""

import hashlib
import hmac

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken

TOKEN_PREFIX = "pnj_"


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
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
