"""The REST API of personal tokens: /api/v1/accounts/tokens/ and /api/v1/accounts/me/."""

import hashlib

import pytest
from rest_framework.test import APIClient

from accounts.models import ApiToken, Role
from accounts.services import api_token_create
from audit.models import Event
from tests.accounts.conftest import event_actions
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db

TOKENS = "/api/v1/accounts/tokens/"


@pytest.fixture
def session_client():
    user = make_member(Role.PROCUREMENT_OFFICER)
    client = APIClient()
    login(client, user)
    client.user = user
    return client


def test_create_returns_the_token_once_and_lists_never_show_it(session_client):
    # when a verified session creates a token
    response = session_client.post(TOKENS, {"name": "ci", "expires_in_days": 7}, format="json")

    # then the answer holds the whole token, once
    assert response.status_code == 201
    body = response.json()
    raw = body["token"]
    token = ApiToken.objects.get()
    assert body["id"] == token.pk
    assert body["name"] == "ci"
    assert body["prefix"] == token.prefix
    assert raw.startswith(f"pnj_{token.prefix}_")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert event_actions() == ["api_token.created"]

    # when the tokens are listed
    listing = session_client.get(TOKENS)

    # then neither the token nor its hash is in the list
    assert listing.status_code == 200
    assert listing.json()["count"] == 1
    assert listing.json()["results"][0]["prefix"] == token.prefix
    assert raw not in listing.content.decode()
    assert token.token_hash not in listing.content.decode()
    assert set(listing.json()["results"][0]) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "second_factor_verified",
    }


def test_a_token_cannot_mint_another_token():
    user = UserFactory()
    _token, raw = api_token_create(actor=user, name="x", expires_in_days=10)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.post(TOKENS, {"name": "child", "expires_in_days": 365}, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "accounts.api_token_needs_session"
    assert ApiToken.objects.count() == 1
    assert event_actions() == ["api_token.created"]


def test_create_validates_its_input(session_client, settings):
    settings.API_TOKEN_MAX_DAYS = 30

    missing = session_client.post(TOKENS, {"expires_in_days": 7}, format="json")
    too_long = session_client.post(TOKENS, {"name": "x", "expires_in_days": 31}, format="json")

    assert missing.status_code == 400
    assert missing.json()["errors"] == {"name": ["This field is required."]}
    assert too_long.status_code == 422
    assert too_long.json()["code"] == "accounts.invalid_token_expiry"
    assert too_long.json()["errors"] == {
        "expires_in_days": ["A token must expire within 1 to 30 days."]
    }
    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0


def test_delete_and_post_revoke_the_callers_own_token(session_client):
    first, _raw = api_token_create(actor=session_client.user, name="a", expires_in_days=7)
    second, _raw = api_token_create(actor=session_client.user, name="b", expires_in_days=7)

    deleted = session_client.delete(f"{TOKENS}{first.pk}/")
    revoked = session_client.post(f"{TOKENS}{second.pk}/revoke/")
    again = session_client.post(f"{TOKENS}{second.pk}/revoke/")

    assert deleted.status_code == 204
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    assert again.status_code == 409
    assert again.json()["code"] == "accounts.api_token_already_revoked"
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 0
    assert ApiToken.objects.count() == 2  # revoked, not deleted
    assert event_actions() == [
        "api_token.created",
        "api_token.created",
        "api_token.revoked",
        "api_token.revoked",
    ]


def test_someone_elses_token_is_not_found(session_client):
    other = UserFactory()
    token, _raw = api_token_create(actor=other, name="theirs", expires_in_days=7)
    events = Event.objects.count()

    assert session_client.get(f"{TOKENS}{token.pk}/").status_code == 404
    assert session_client.delete(f"{TOKENS}{token.pk}/").status_code == 404
    response = session_client.post(f"{TOKENS}{token.pk}/revoke/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    token.refresh_from_db()
    assert token.revoked_at is None
    assert Event.objects.count() == events


def test_anonymous_callers_get_401():
    response = APIClient().get("/api/v1/accounts/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert "/api/v1/accounts/me/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/accounts/tokens/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/v1/accounts/tokens/{id}/"]) == {"get", "delete"}
    assert "post" in schema["paths"]["/api/v1/accounts/tokens/{id}/revoke/"]
    created = schema["paths"]["/api/v1/accounts/tokens/"]["post"]["responses"]["201"]
    ref = created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "token" in schema["components"]["schemas"][ref]["properties"]
