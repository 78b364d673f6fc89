"""Every error the API answers is RFC 9457 application/problem+json.

This module is also the URLconf of its tests (`pytest.mark.urls`): the real
URLs, plus a few views that fail in the ways no real endpoint should.
"""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from config.urls import urlpatterns as real_urlpatterns
from core.exceptions import InvalidTransition
from notifications.models import Notification
from tests.factories import UserFactory, login, make_member

PROBLEM = "application/problem+json"

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class EchoApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        return Response({"echo": request.data})


class BrokenApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("a bug")


class RefusingApi(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        raise InvalidTransition(params={"from": "closed"})


def broken_view(request):
    raise RuntimeError("a bug outside DRF")


def forbidden_view(request):
    raise DjangoPermissionDenied


def suspicious_view(request):
    raise SuspiciousOperation("a forged request")


urlpatterns = [
    path("api/test/echo/", EchoApi.as_view()),
    path("api/test/broken/", BrokenApi.as_view()),
    path("api/test/refusing/", RefusingApi.as_view()),
    path("api/test/broken-plain/", broken_view),
    path("api/test/forbidden-plain/", forbidden_view),
    path("api/test/suspicious-plain/", suspicious_view),
    *real_urlpatterns,
]
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

LIST = "/api/v1/notifications/"


def assert_problem(response, status: int, code: str, **expected):
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:panjere:problem:{code}"
    assert body["title"]
    for key, value in expected.items():
        assert body[key] == value, key
    return body


@pytest.fixture
def bidder_client(client):
    user = make_member(Role.BIDDER)
    login(client, user)
    client.user = user
    return client


def test_400_names_each_invalid_field(bidder_client):
    # when a query parameter is not valid
    response = bidder_client.get(LIST, {"unread": "maybe"})

    # then the problem lists the field's errors
    assert_problem(
        response,
        400,
        "api.invalid",
        title="The data is not valid.",
        errors={"unread": ["Must be a valid boolean."]},
        instance=f"{LIST}?unread=maybe",
    )


def test_400_for_a_body_that_is_not_json(client):
    # when the body is broken JSON
    response = client.post("/api/test/echo/", "{not json", content_type="application/json")

    # then it is a parse error
    body = assert_problem(response, 400, "api.parse_error", title="Malformed request.")
    assert body["detail"].startswith("JSON parse error")


def test_401_without_credentials_says_how_to_authenticate(client):
    # when an anonymous client asks for a user's data
    response = client.get(LIST)

    # then 401 with the scheme to use
    assert_problem(
        response,
        401,
        "api.not_authenticated",
        title="Authentication credentials were not provided.",
    )
    assert response["WWW-Authenticate"] == "Bearer"


def test_401_for_an_unknown_token(client):
    # when the bearer token does not exist
    response = client.get(LIST, headers={"Authorization": "Bearer pnj_abcdef_notavalidtoken"})

    # then 401, the particular reason in the detail
    assert_problem(
        response,
        401,
        "api.authentication_failed",
        title="Incorrect authentication credentials.",
        detail="Invalid, expired or revoked token.",
    )
    assert response["WWW-Authenticate"] == "Bearer"


def test_403_for_a_session_write_without_the_csrf_token(bidder_client):
    # given a browser session that does not send the CSRF token
    csrf_client = Client(enforce_csrf_checks=True)
    login(csrf_client, bidder_client.user)

    # when it writes through the API
    response = csrf_client.post("/api/v1/notifications/read-all/")

    # then 403
    body = assert_problem(
        response,
        403,
        "api.permission_denied",
        title="You do not have permission to perform this action.",
    )
    assert body["detail"].startswith("CSRF Failed")


def test_403_while_two_factor_authentication_is_owed(client):
    # given an officer who has not entered their second factor yet
    officer = make_member(Role.PROCUREMENT_OFFICER)
    client.force_login(officer)

    # when they call the API
    response = client.get(LIST)

    # then the middleware refuses with a problem
    assert_problem(response, 403, "accounts.two_factor_required")


def test_404_for_someone_elses_object(bidder_client):
    # given another user's notification
    notification = Notification.objects.create(
        recipient=UserFactory(), kind="k", title="t", language="en"
    )

    # when the user tries to mark it read
    response = bidder_client.post(f"/api/v1/notifications/{notification.pk}/read/")

    # then it does not exist for them
    assert_problem(response, 404, "api.not_found", title="Not found.")


def test_404_for_an_unknown_api_address(bidder_client):
    # when a path under /api/ matches nothing
    response = bidder_client.get("/api/v1/nothing-here/")

    # then Django's 404 is a problem too
    assert_problem(
        response, 404, "api.not_found", title="Not found.", instance="/api/v1/nothing-here/"
    )


def test_405_for_a_method_the_endpoint_does_not_offer(bidder_client):
    # when the list is deleted
    response = bidder_client.delete(LIST)

    # then 405
    assert_problem(response, 405, "api.method_not_allowed", title='Method "DELETE" not allowed.')
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_406_for_a_format_the_api_cannot_give(bidder_client):
    # when the client accepts only XML
    response = bidder_client.get(LIST, headers={"Accept": "application/xml"})

    # then 406, still as problem+json
    assert_problem(
        response,
        406,
        "api.not_acceptable",
        title="Could not satisfy the request Accept header.",
    )


def test_415_for_a_body_type_the_api_does_not_read(client):
    # when the body is plain text
    response = client.post("/api/test/echo/", "hello", content_type="text/plain")

    # then 415
    assert_problem(
        response,
        415,
        "api.unsupported_media_type",
        title='Unsupported media type "text/plain" in request.',
    )


def test_429_when_throttled_with_retry_after(bidder_client, monkeypatch):
    # given a rate of two requests a minute
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"}
    )
    cache.clear()
    try:
        # when a third request comes within the minute
        responses = [bidder_client.get(LIST) for _ in range(3)]
    finally:
        cache.clear()

    # then it is throttled, and told when to come back
    assert [r.status_code for r in responses] == [200, 200, 429]
    body = assert_problem(responses[2], 429, "api.throttled", title="Request was throttled.")
    assert body["detail"] == "Request was throttled. Expected available in 60 seconds."
    assert responses[2]["Retry-After"] == "60"


def test_domain_errors_keep_their_status_code_and_params(client):
    # when a service refuses with a domain error
    response = client.post("/api/test/refusing/")

    # then its own status and code
    assert_problem(
        response,
        409,
        "core.invalid_transition",
        title="This action is not possible in the object's current state.",
        params={"from": "closed"},
    )


def test_500_from_an_api_view_hides_the_error(client, caplog):
    # when an API view has a bug
    response = client.get("/api/test/broken/")

    # then 500 as a problem, without the exception's text, and the bug is logged
    body = assert_problem(response, 500, "api.internal_error", title="Internal error.")
    assert "a bug" not in response.content.decode()
    assert set(body) == {"type", "title", "status", "code", "instance"}
    assert "Unhandled API error" in caplog.text


def test_500_outside_drf_under_api_is_a_problem_too():
    # when a plain Django view under /api/ has a bug
    response = Client(raise_request_exception=False).get("/api/test/broken-plain/")

    # then Django's handler500 answers with a problem
    assert_problem(response, 500, "api.internal_error", title="Internal error.")
    assert "a bug" not in response.content.decode()


def test_400_and_403_outside_drf_under_api_are_problems_too(client):
    # when plain Django views under /api/ refuse a request
    suspicious = client.get("/api/test/suspicious-plain/")
    forbidden = client.get("/api/test/forbidden-plain/")

    # then Django's handler400 and handler403 answer with problems
    assert_problem(suspicious, 400, "api.bad_request", title="Bad request.")
    assert_problem(forbidden, 403, "api.permission_denied", title="You are not allowed to do this.")


def test_error_pages_outside_the_api_are_html(client):
    # when a web page does not exist
    response = client.get("/no-such-page/")

    # then it is not a problem document but a page
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/")
    assert response["Content-Type"] != PROBLEM


def test_a_missing_error_template_falls_back_to_plain_text(client, settings):
    # given no 404.html anywhere
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]

    # when a web page does not exist
    response = client.get("/no-such-page/")

    # then a plain page still says so
    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "Not found."
