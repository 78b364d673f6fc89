"""Middleware of the ground floor: requests no view should ever see."""

import json
import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OUT_OF_RANGE = gettext_lazy("A date or number in the request is out of range.")

logger = logging.getLogger(__name__)


# JSON the API accepts is a few levels deep (a tender's lots, items, criteria). Deeper
# bodies are refused before any view parses them: Python's parser recurses per level.
MAX_JSON_DEPTH = 32
JSON_MEDIA_TYPES = ("application/json",)


def _json_problem(value) -> str | None:
    """Why a parsed JSON body is refused (too deep, a NUL character), or None."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return "deep"
        if isinstance(item, dict):
            stack.extend((key, depth + 1) for key in item)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str) and "\x00" in item:
            return "nul"
    return None


class RequestGuardMiddleware:
    """Refuse, with a 4xx, what no view should ever see and the database cannot store.

    - a NUL character in the path or the query string: PostgreSQL refuses it in
      any text, so a lookup such as `/tenders/%00/` would fail as a 500;
    - a JSON body nested deeper than MAX_JSON_DEPTH (Python's parser overflows its
      recursion on ~100,000 levels), or with a NUL character in a string;
    - a JSON body larger than DATA_UPLOAD_MAX_MEMORY_SIZE: 413;
    - and, as a last net under every view, a date or number so far out of range
      that Python cannot compute with it (OverflowError): 400, with a warning logged.
      Forms and API fields refuse such dates themselves (core.validators); the
      net is for the paths they do not cover.

    Pages get the 400 page, `/api/` problem+json; the view never runs, so nothing
    is written.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        return self.get_response(request)

    def _refusal(self, request):
        from django.core.exceptions import RequestDataTooBig

        from .errors import bad_request, payload_too_large

        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return bad_request(request, None, detail=_("The address holds a NUL character."))
        if request.content_type not in JSON_MEDIA_TYPES and not request.content_type.endswith(
            "+json"
        ):
            return None
        try:
            body = request.body
        except RequestDataTooBig:
            return payload_too_large(request)
        if not body:
            return None
        try:
            parsed = json.loads(body)
        except RecursionError:
            problem = "deep"
        except ValueError:
            return None  # not JSON: the view's parser says so
        else:
            problem = _json_problem(parsed)
        if problem == "deep":
            detail = _("The JSON body is nested more than %(depth)s levels deep.") % {
                "depth": MAX_JSON_DEPTH
            }
            return bad_request(request, None, detail=detail)
        if problem == "nul":
            return bad_request(request, None, detail=_("The JSON body holds a NUL character."))
        return None

    def process_exception(self, request, exception):
        if not isinstance(exception, OverflowError):
            return None
        from .errors import bad_request

        logger.warning("A value out of range reached %s: %s", request.path, exception)
        return bad_request(request, exception, detail=OUT_OF_RANGE)
