"""`Idempotency-Key` on the API's POSTs that create or decide: a retry acts once.

A client that may send a request twice (a timeout, a lost answer) sends the
same `Idempotency-Key` header both times. The first request runs and its
answer (status, body, Location) is kept, keyed per user; the retry gets that
answer again, with `Idempotent-Replayed: true`, and nothing is done a second
time. The same key with a different request (method, path or body) is refused
with 422; a retry while the first is still running, with 409. An answer that
is not a success (a refusal, a validation error) is not kept: nothing was
done, so the retry runs again. Keys are kept IDEMPOTENCY_KEY_MAX_AGE seconds.
"""

import datetime
import functools
import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.http.request import RawPostDataException
from django.template.response import SimpleTemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=_(
        "A key of your choice (e.g. a UUID), up to 255 visible ASCII characters. Sent again "
        "with the same request, the first answer is replayed and nothing is done twice; "
        "with a different request, 422 (api.idempotency_key_reused)."
    ),
)


class InvalidKey(exceptions.APIException):
    status_code = 400
    default_detail = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters.")
    default_code = "api.idempotency_key_invalid"


class KeyReused(exceptions.APIException):
    status_code = 422
    default_detail = _("This Idempotency-Key was already used for a different request.")
    default_code = "api.idempotency_key_reused"


class KeyInFlight(exceptions.APIException):
    status_code = 409
    default_detail = _(
        "A request with this Idempotency-Key is still being handled; try again in a moment."
    )
    default_code = "api.idempotency_key_in_flight"


def _fingerprint(request) -> str:
    try:
        body = request.body
    except RawPostDataException:  # already read as a stream: its parsed form stands for it
        body = json.dumps(request.data, sort_keys=True, default=str).encode()
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(c) <= 126 for c in key)


def _replay(entry: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(entry.body), status=entry.status, content_type=entry.content_type or None
    )
    response[REPLAYED_HEADER] = "true"
    if entry.location:
        response["Location"] = entry.location
    return response


def begin(request, key: str) -> IdempotencyKey | HttpResponse:
    """Claim the key for this request, or the first answer to replay; 400/409/422 otherwise."""
    if not _valid(key):
        raise InvalidKey
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user_id=request.user.pk, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        entry = IdempotencyKey.objects.filter(user_id=request.user.pk, key=key).first()
    if entry is None:  # released a moment ago by a refused first request
        raise KeyInFlight
    if entry.fingerprint != fingerprint:
        raise KeyReused
    if entry.status is None:
        raise KeyInFlight
    return _replay(entry)


def _keep(entry: IdempotencyKey, response) -> None:
    entry.status = response.status_code
    entry.body = response.content
    entry.content_type = response.get("Content-Type", "")
    entry.location = response.get("Location", "")
    entry.save(update_fields=["status", "body", "content_type", "location"])


def finish(entry: IdempotencyKey, response) -> None:
    """Keep a success's answer for the retries; forget the key after a refusal."""
    if not 200 <= response.status_code < 300:
        entry.delete()
        return
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        # DRF renders the answer after the view returns: keep the bytes it writes.
        response.add_post_render_callback(lambda rendered: _keep(entry, rendered))
    else:
        _keep(entry, response)


def idempotent(handler):
    """Decorate an APIView's `post`: honour `Idempotency-Key` (see the module's docstring)."""

    @functools.wraps(handler)
    def wrapped(view, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None or not request.user.is_authenticated:
            return handler(view, request, *args, **kwargs)
        entry = begin(request, key)
        if isinstance(entry, HttpResponse):
            return entry
        try:
            response = handler(view, request, *args, **kwargs)
        except BaseException:
            entry.delete()
            raise
        finish(entry, response)
        return response

    return extend_schema(parameters=[PARAMETER])(wrapped)


def sweep(now=None) -> int:
    """Delete the keys older than IDEMPOTENCY_KEY_MAX_AGE."""
    now = now or timezone.now()
    before = now - datetime.timedelta(seconds=settings.IDEMPOTENCY_KEY_MAX_AGE)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=before).delete()
    return deleted
