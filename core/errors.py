"""Django's error views (handler400/403/404/500 in config/urls.py).

Under /api/ they answer RFC 9457 problem+json like the API's own errors; the
web pages get the 400/403/404/500.html templates, or a plain page when a
template is missing or itself fails (an error page must never error).
"""

import logging

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext as _

from .api import problem_response
from .exceptions import PermissionDenied

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _page(request, status_code: int, title: str, template: str, context=None) -> HttpResponse:
    try:
        return render(request, template, context or {}, status=status_code)
    except TemplateDoesNotExist:
        pass
    except Exception:  # a broken error page must not hide the original error
        logger.exception("The %s error page failed to render", status_code)
    return HttpResponse(title, status=status_code, content_type="text/plain; charset=utf-8")


def bad_request(request, exception, template_name="400.html", *, detail=None):
    title = _("Bad request.")
    if _is_api(request):
        extra = {"detail": str(detail)} if detail else {}
        return problem_response(request, 400, title, "api.bad_request", **extra)
    return _page(request, 400, title, template_name)


def payload_too_large(request):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 under /api/, the 400 page elsewhere."""
    if _is_api(request):
        return problem_response(
            request,
            413,
            _("The request body is too large."),
            "api.too_large",
            detail=_("Send at most %(size)s bytes.")
            % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
        )
    return _page(request, 400, _("Bad request."), "400.html")


def permission_denied(request, exception, template_name="403.html"):
    title = _("You are not allowed to do this.")
    if _is_api(request):
        return problem_response(request, 403, title, PermissionDenied.code)
    return _page(request, 403, title, template_name, {"exception": exception})


def page_not_found(request, exception, template_name="404.html"):
    title = _("Not found.")
    if _is_api(request):
        return problem_response(request, 404, title, "api.not_found")
    return _page(request, 404, title, template_name, {"request_path": request.path})


def too_many_requests(request, exception, template_name="429.html"):
    """A rate limit of core.ratelimits was reached (django-ratelimit's RATELIMIT_VIEW)."""
    title = _("Too many requests.")
    if _is_api(request):
        return problem_response(
            request,
            429,
            title,
            "api.throttled",
            detail=_("Wait a while before you try again."),
        )
    return _page(request, 429, title, template_name)


def server_error(request, template_name="500.html"):
    title = _("Internal error.")
    if _is_api(request):
        return problem_response(request, 500, title, "api.internal_error")
    return _page(request, 500, title, template_name)
