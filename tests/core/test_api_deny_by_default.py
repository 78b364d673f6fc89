"""The API denies by default: no endpoint lets anyone write, and public ones say so."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from core.api import PublicReadOnly


def _api_views(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _api_views(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = getattr(pattern.callback, "view_class", None) or getattr(
                pattern.callback, "cls", None
            )
            if view is not None and issubclass(view, APIView):
                yield prefix + str(pattern.pattern), view


API_VIEWS = sorted({(route, view) for route, view in _api_views()}, key=lambda pair: pair[0])


def test_the_default_is_signed_in_callers_only():
    assert settings.REST_FRAMEWORK["DEFAULT_PERMISSION_CLASSES"] == [
        "rest_framework.permissions.IsAuthenticated"
    ]


def test_there_are_api_views_to_check():
    assert len(API_VIEWS) > 40


@pytest.mark.parametrize(("route", "view"), API_VIEWS, ids=[route for route, _ in API_VIEWS])
def test_no_api_view_allows_anyone(route, view):
    assert AllowAny not in view.permission_classes


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tenders/",
        "/api/v1/debarments/",
        "/api/v1/suppliers/cpv/?q=road",
        "/api/v1/audit/checkpoints/",
    ],
)
def test_public_read_only_endpoints_refuse_writes(client, path):
    # when an anonymous caller writes to a public endpoint
    response = client.post(path, {}, content_type="application/json")

    # then it is refused, as problem+json
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"


def test_public_read_only_allows_only_safe_methods():
    class Request:
        def __init__(self, method):
            self.method = method

    class WritableView:
        def post(self): ...
        def put(self): ...
        def patch(self): ...
        def delete(self): ...

    allowed = {
        method
        for method in ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
        if PublicReadOnly().has_permission(Request(method), WritableView())
    }

    assert allowed == {"GET", "HEAD", "OPTIONS"}
