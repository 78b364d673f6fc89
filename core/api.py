"""The API's shared pieces: RFC 9457 problem+json errors and pagination."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .exceptions import DomainError

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


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


def _drf_code(exc) -> str:
    codes = exc.get_codes()
    if isinstance(codes, str):
        return f"api.{codes}"
    return "api.invalid"


def problem_exception_handler(exc, context):
    """Turn every error an API view raises into problem+json."""
    request = context.get("request")
    instance = request.get_full_path() if request is not None else None
    if isinstance(exc, DomainError):
        body = problem(
            exc.status, exc.title, code=exc.code, detail=exc.message, instance=instance
        )
        if exc.params:
            body["params"] = exc.params
        if exc.field:
            body["errors"] = {exc.field: [str(exc.message)]}
        return Response(body, status=exc.status, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    if isinstance(exc, drf_exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = str(int(exc.wait))
        if isinstance(exc.detail, dict | list):
            body = problem(
                exc.status_code,
                _("The data is not valid."),
                code=_drf_code(exc) if not isinstance(exc.detail, dict | list) else "api.invalid",
                instance=instance,
                errors=exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail},
            )
        else:
            body = problem(
                exc.status_code,
                exc.detail,
                code=_drf_code(exc),
                instance=instance,
            )
        return Response(
            body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
        )
    # Anything else is a bug: log it and answer with a problem, never a stack trace.
    logger.exception("Unhandled API error", exc_info=exc)
    body = problem(
        status.HTTP_500_INTERNAL_SERVER_ERROR,
        _("Internal error."),
        code="api.internal_error",
        instance=instance,
    )
    return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request, status_code: int, title, code: str) -> JsonResponse:
    """A problem+json response for errors raised outside DRF (404/500 under /api/)."""
    return JsonResponse(
        problem(status_code, title, code=code, instance=request.get_full_path()),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )
