"""The API's shared pieces: RFC 9457 problem+json errors, pagination and the docs page.

Every error an API client can see is `application/problem+json`: DRF's own
errors and DomainErrors through `problem_exception_handler`, Django's 404/500
and the middleware's refusals under /api/ through `problem_response`
(core.errors). `document_problem_responses` declares them in the OpenAPI
schema, so clients and schema-driven testers know every status they may get.
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from . import money
from .exactjson import ExactJSONEncoder
from .exceptions import DomainError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class PublicReadOnly(BasePermission):
    """Public data: anyone may read it (GET, HEAD, OPTIONS); nobody writes through this class.

    The API denies by default (DEFAULT_PERMISSION_CLASSES is IsAuthenticated);
    an endpoint that is public declares it with this class. An endpoint that
    also takes writes from signed-in callers declares `PUBLIC_READ_SIGNED_IN_WRITE`,
    and its service checks the caller's permission on the object.
    """

    def has_permission(self, request, view):
        # A write the view does not implement is let through to its 405, not a 401/403.
        return request.method in SAFE_METHODS or not hasattr(view, request.method.lower())


# Public reads; writes from signed-in callers only (anonymous ones get 401).
PUBLIC_READ_SIGNED_IN_WRITE = [PublicReadOnly | IsAuthenticated]


class PublicCheck(BasePermission):
    """A public calculation that writes nothing (checking a receipt's signature): anyone may
    send it, with any method the view implements. Declared by name, never `AllowAny`, so a
    reader of the view sees why it is open.
    """

    def has_permission(self, request, view):
        return True


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class ExactJSONRenderer(JSONRenderer):
    """JSON in which a Decimal is a number written exactly (OCDS amounts: core.exactjson)."""

    encoder_class = ExactJSONEncoder


# Longer than any amount a column holds (16 digits, a point, 4 decimals), trailing zeros too.
MONEY_AMOUNT_MAX_LENGTH = 40
MONEY_SCHEMA = {
    "type": "object",
    "description": (
        "An amount with its currency. The amount is a string of decimal digits, never a "
        "JSON number (a binary float cannot hold every amount), with at most as many "
        "decimals as the currency has in ISO 4217 (EUR 2, KWD 3, JPY 0, IRR 2): more are "
        "refused with `money.too_many_decimals`. The currency is an ISO 4217 code the "
        "platform accepts (setting PANJERE_CURRENCIES), else `money.currency_not_accepted`."
    ),
    "properties": {
        "amount": {
            "type": "string",
            "pattern": r"^-?[0-9]+(\.[0-9]+)?$",
            "maxLength": MONEY_AMOUNT_MAX_LENGTH,
            "example": "1250.50",
        },
        "currency": {
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "minLength": 3,
            "maxLength": 3,
            "example": "EUR",
        },
    },
    "required": ["amount", "currency"],
    "additionalProperties": False,
}


@extend_schema_field(MONEY_SCHEMA, component_name="Money")
class MoneyField(serializers.Field):
    """`{"amount": "12.50", "currency": "EUR"}` <-> `core.money.Money`.

    Reads the shape only: an object with the amount as decimal text (a JSON
    number is refused: it may have passed through a float) and a currency
    code. Whether the platform accepts the currency and the amount's decimals
    are the service's to check (`core.money.clean_money`), so that a refusal has
    one code whichever way the amount came.
    """

    default_error_messages = {
        # DRF formats the message: the braces are doubled.
        "invalid": _('Give an object such as {{"amount": "1250.50", "currency": "EUR"}}.'),
        "too_long": _("Give the amount in at most {max_length} characters."),
        "not_text": _(
            'Give the amount as a string of digits, such as "1250.50", not as a JSON number.'
        ),
    }

    def to_representation(self, value):
        return money.money_json(value)

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) != {"amount", "currency"}:
            self.fail("invalid")
        if not isinstance(data["amount"], str):
            self.fail("not_text")
        if not isinstance(data["currency"], str):
            self.fail("invalid")
        if len(data["amount"]) > MONEY_AMOUNT_MAX_LENGTH:
            self.fail("too_long", max_length=MONEY_AMOUNT_MAX_LENGTH)
        return money.parse_money(data["amount"], data["currency"], field=self.field_name)


def problem(status_code: int, title, *, code: str, detail=None, instance=None, **extra) -> dict:
    """Build an RFC 9457 problem body. `type` is a stable URN made from `code`."""
    body = {
        "type": f"urn:panjere:problem:{code}",
        "title": str(title),
        "status": status_code,
        "code": code,
    }
    if detail:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _drf_code(exc: drf_exceptions.APIException) -> str:
    """`api.<DRF's code>`, or the code itself when it is already one of ours (`accounts.…`)."""
    codes = exc.get_codes()
    if isinstance(codes, str):
        return codes if "." in codes else f"api.{codes}"
    return "api.invalid"


def problem_exception_handler(exc, context):
    """Turn every error an API view raises into problem+json."""
    request = context.get("request")
    instance = request.get_full_path() if request is not None else None
    # Like DRF's own handler: an error answer never commits a request's atomic block.
    set_rollback()
    if isinstance(exc, DomainError):
        body = problem(exc.status, exc.title, code=exc.code, detail=exc.message, instance=instance)
        if exc.params:
            body["params"] = exc.params
        if exc.field:
            body["errors"] = {exc.field: [str(exc.message)]}
        elif isinstance(exc.params, dict) and exc.params.get("problems"):
            errors = {}
            for item in exc.params["problems"]:
                errors.setdefault(item.get("field") or "non_field_errors", []).append(
                    item["message"]
                )
            body["errors"] = errors
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, RequestDataTooBig):
        # DRF reads a JSON or form body whole; Django refuses one over the limit.
        body = problem(
            413,
            _("The request body is too large."),
            code="api.too_large",
            detail=_("Send at most %(size)s bytes.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
            instance=instance,
        )
        return Response(body, status=413, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, SuspiciousOperation | OverflowError):
        # Too many form fields, or a date or number so far out of range that Python cannot
        # compute with it (DRF's DateTimeField overflows on a naive year 1 in some zones).
        logger.warning("A refused request reached %s: %r", instance, exc)
        body = problem(
            400,
            _("Bad request."),
            code="api.bad_request",
            detail=_("A date or number in the request is out of range.")
            if isinstance(exc, OverflowError)
            else None,
            instance=instance,
        )
        return Response(body, status=400, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if isinstance(exc, drf_exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None) is not None:
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc.detail, dict | list):
            # Validation errors: the fields and their messages, as DRF gives them.
            errors = (
                exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
            )
            body = problem(
                exc.status_code,
                _("The data is not valid."),
                code="api.invalid",
                instance=instance,
                errors=errors,
            )
        else:
            # RFC 9457: the title is the same for every occurrence of a problem's
            # kind; what is particular to this one goes into the detail.
            title = str(exc.default_detail)
            if "{" in title:  # a template such as 'Method "{method}" not allowed.'
                title = str(exc.detail)
            detail = str(exc.detail) if str(exc.detail) != title else None
            body = problem(
                exc.status_code, title, code=_drf_code(exc), detail=detail, instance=instance
            )
        return Response(
            body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
        )
    # Anything else is a bug: log it and answer with a problem, never a stack trace.
    logger.error("Unhandled API error", exc_info=exc)
    body = problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        _("Internal error."),
        code="api.internal_error",
        instance=instance,
    )
    return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request, status_code: int, title, code: str, **extra) -> JsonResponse:
    """A problem+json response for errors raised outside DRF (404/500 under /api/)."""
    return JsonResponse(
        problem(status_code, title, code=code, instance=request.get_full_path(), **extra),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


# --- OpenAPI ------------------------------------------------------------------------

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An RFC 9457 problem detail.",
    "properties": {
        "type": {"type": "string", "description": "A URN naming the problem's kind."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string", "description": "A stable machine code, e.g. api.not_found."},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Validation errors: the field's name and its messages.",
            "additionalProperties": {},
        },
        "params": {"type": "object", "additionalProperties": {}},
    },
    "required": ["type", "title", "status", "code"],
}

# Status -> description, for every operation.
_PROBLEMS_EVERYWHERE = {
    "400": _("The request is not valid (problem+json, with field errors)."),
    "401": _("Not authenticated: send a bearer token or a session cookie."),
    "403": _("Not allowed, or two-factor authentication is still required."),
    "404": _("Not found."),
    "406": _("The Accept header asks for a format the API cannot give."),
    "429": _("Too many requests: wait for the Retry-After seconds."),
    "500": _("Internal error."),
}
_PROBLEMS_WITH_BODY = {
    "413": _("The request body is larger than the platform accepts."),
    "415": _("The request body's media type is not supported."),
}
# A service may refuse any write for a rule of the domain (core.exceptions).
_PROBLEMS_OF_WRITES = {
    "409": _("The object's current state does not allow this (problem+json)."),
    "422": _("The data breaks a rule of the domain (problem+json, with field errors)."),
}


def document_problem_responses(result, generator, request, public):
    """drf-spectacular hook: declare the problem+json error answers of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", PROBLEM_SCHEMA)
    reference = {"$ref": "#/components/schemas/Problem"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in {"get", "put", "post", "patch", "delete", "head", "options"}:
                continue
            problems = dict(_PROBLEMS_EVERYWHERE)
            if "requestBody" in operation:
                problems.update(_PROBLEMS_WITH_BODY)
            if method in {"post", "put", "patch", "delete"}:
                problems.update(_PROBLEMS_OF_WRITES)
            responses = operation.setdefault("responses", {})
            for status_code, response in responses.items():
                content = response.get("content", {})
                # Error answers are problem+json, whatever a view declared.
                if str(status_code)[0] in "45" and "application/json" in content:
                    content.setdefault(PROBLEM_CONTENT_TYPE, content.pop("application/json"))
            for status_code, description in problems.items():
                responses.setdefault(
                    status_code,
                    {
                        "description": str(description),
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": reference}},
                    },
                )
    return result
