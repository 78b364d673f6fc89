"""Personal API tokens: made and shown once, hashed at rest, refused when expired or revoked."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.exceptions import (
    ApiTokenAlreadyRevoked,
    ApiTokenLimitReached,
    InvalidTokenExpiry,
)
from accounts.models import ApiToken, Role
from accounts.services import MAX_ACTIVE_API_TOKENS, api_token_create, api_token_revoke
from audit.models import Event
from core.clock import db_now
from core.exceptions import PermissionDenied
from tests.accounts.conftest import event_actions
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db


def _bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _every_text_value_in_the_database() -> str:
    """Every table's every row, as text: to prove a value is stored nowhere."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            dump.extend(str(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_the_page_shows_the_new_token_once_and_stores_only_its_hash(client):
    # given a signed-in supplier with a verified address
    user = make_member(Role.BIDDER)
    login(client, user)

    # when they create a token for 30 days
    before = db_now()
    response = client.post(reverse("accounts:tokens"), {"name": "export", "expires_in_days": 30})
    after = db_now()

    # then the page shows it in full, once
    assert response.status_code == 200
    raw = response.context["raw_token"]
    assert raw in response.content.decode()
    prefix, secret = raw.split("_")[1:]
    assert raw.startswith("pnj_")
    assert len(prefix) == 8
    assert len(secret) == 64
    token = ApiToken.objects.get()
    assert token.user == user
    assert token.name == "export"
    assert token.prefix == prefix
    thirty_days = datetime.timedelta(days=30)
    assert before + thirty_days <= token.expires_at <= after + thirty_days
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    # and the raw token, or its secret part, is stored nowhere
    dump = _every_text_value_in_the_database()
    assert secret not in dump
    assert raw not in dump
    # and the event names the token, never its value
    event = Event.objects.get()
    assert event.action == "api_token.created"
    assert event.payload == {
        "name": "export",
        "prefix": prefix,
        "expires_at": DjangoJSONEncoder().default(token.expires_at.astimezone(datetime.UTC)),
        "second_factor_verified": False,
    }
    # and the list shows only the prefix from now on
    listing = client.get(reverse("accounts:tokens")).content.decode()
    assert f"pnj_{prefix}_…" in listing
    assert secret not in listing


def test_a_valid_token_authenticates_the_me_endpoint():
    # given a token of an evaluator, made in a session that passed 2FA
    user = make_member(Role.EVALUATOR)
    _token, raw = api_token_create(
        actor=user, name="scripts", expires_in_days=10, second_factor_verified=True
    )

    # when it is used on /api/v1/accounts/me/
    response = _bearer(raw).get("/api/v1/accounts/me/")

    # then the API answers as that user, with their memberships
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == user.pk
    assert body["email"] == user.email
    assert body["email_verified"] is True
    assert body["two_factor_enabled"] is True
    assert body["two_factor_required"] is True
    membership = user.memberships.get()
    assert body["memberships"] == [
        {
            "organisation": {
                "id": membership.organisation_id,
                "kind": "procuring_entity",
                "name": membership.organisation.name,
                "name_fa": "",
            },
            "role": "evaluator",
            "role_label": "Evaluator",
        }
    ]
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("0" if raw[-1] != "0" else "1"),
        lambda raw: "pnj_deadbeef_" + raw.split("_")[2],
        lambda raw: raw.replace("pnj_", "xyz_"),
        lambda raw: "garbage",
    ],
)
def test_forged_tokens_are_refused_with_401_problem(mangle):
    user = UserFactory()
    _token, raw = api_token_create(actor=user, name="x", expires_in_days=10)

    response = _bearer(mangle(raw)).get("/api/v1/accounts/me/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "api.authentication_failed"


def test_an_expired_token_is_refused_with_401_problem():
    # given a token made for 1 day
    user = UserFactory()
    token, raw = api_token_create(actor=user, name="short", expires_in_days=1)
    with time_machine.travel(token.expires_at - datetime.timedelta(seconds=1), tick=False):
        assert _bearer(raw).get("/api/v1/accounts/me/").status_code == 200
    ApiToken.objects.update(last_used_at=None)

    # when it is used a second after it expired
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1), tick=False):
        response = _bearer(raw).get("/api/v1/accounts/me/")

    # then it is refused
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Invalid, expired or revoked token."
    assert ApiToken.objects.get().last_used_at is None


def test_a_revoked_token_is_refused_with_401_problem():
    user = UserFactory()
    token, raw = api_token_create(actor=user, name="old", expires_in_days=10)
    assert _bearer(raw).get("/api/v1/accounts/me/").status_code == 200

    api_token_revoke(actor=user, token=token)
    response = _bearer(raw).get("/api/v1/accounts/me/")

    assert response.status_code == 401
    assert response.json()["code"] == "api.authentication_failed"
    assert event_actions() == ["api_token.created", "api_token.revoked"]
    assert Event.objects.last().payload == {"prefix": token.prefix, "holder_id": user.pk}


def test_a_deactivated_users_token_is_refused():
    user = UserFactory()
    _token, raw = api_token_create(actor=user, name="x", expires_in_days=10)
    user.is_active = False
    user.save()

    assert _bearer(raw).get("/api/v1/accounts/me/").status_code == 401


@pytest.mark.parametrize("days", [0, -1, 366])
def test_expiry_must_be_within_the_maximum(settings, days):
    settings.API_TOKEN_MAX_DAYS = 365
    user = UserFactory()

    with pytest.raises(InvalidTokenExpiry) as raised:
        api_token_create(actor=user, name="x", expires_in_days=days)

    assert raised.value.field == "expires_in_days"
    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_page_refuses_a_too_long_expiry(client, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    user = UserFactory()
    login(client, user)

    response = client.post(reverse("accounts:tokens"), {"name": "x", "expires_in_days": 91})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expires_in_days": ["Ensure this value is less than or equal to 90."]
    }
    assert response.context["raw_token"] is None
    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0


def test_an_unverified_address_cannot_make_tokens():
    user = UserFactory(email_verified_at=None)

    with pytest.raises(PermissionDenied):
        api_token_create(actor=user, name="x", expires_in_days=10)

    assert ApiToken.objects.count() == 0
    assert Event.objects.count() == 0


def test_the_number_of_active_tokens_is_limited():
    user = UserFactory()
    for index in range(MAX_ACTIVE_API_TOKENS):
        api_token_create(actor=user, name=f"t{index}", expires_in_days=10)
    events = Event.objects.count()

    with pytest.raises(ApiTokenLimitReached):
        api_token_create(actor=user, name="one too many", expires_in_days=10)

    assert ApiToken.objects.count() == MAX_ACTIVE_API_TOKENS
    assert Event.objects.count() == events


def test_only_the_holder_or_a_platform_admin_may_revoke():
    holder = UserFactory()
    token, _raw = api_token_create(actor=holder, name="x", expires_in_days=10)
    stranger = make_member(Role.PROCUREMENT_OFFICER)
    admin = make_member(Role.PLATFORM_ADMIN)

    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=stranger, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert event_actions() == ["api_token.created"]

    api_token_revoke(actor=admin, token=token, reason="leaked in a log")

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Event.objects.last().actor_user == admin
    assert Event.objects.last().reason == "leaked in a log"
    with pytest.raises(ApiTokenAlreadyRevoked):
        api_token_revoke(actor=holder, token=token)
    assert event_actions() == ["api_token.created", "api_token.revoked"]


def test_revoke_from_the_page_only_for_ones_own_tokens(client):
    holder = UserFactory()
    token, _raw = api_token_create(actor=holder, name="mine", expires_in_days=10)
    other = UserFactory()
    login(client, other)

    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None

    login(client, holder)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_made_without_2fa_does_not_serve_an_official():
    # given a supplier's token, made with a password-only session
    user = make_member(Role.BIDDER)
    _token, raw = api_token_create(actor=user, name="old script", expires_in_days=30)
    assert _bearer(raw).get("/api/v1/accounts/me/").status_code == 200

    # when the person later becomes a procurement officer
    make_member(Role.PROCUREMENT_OFFICER, user=user)

    # then the old token no longer works: officials' tokens must come from a 2FA session
    response = _bearer(raw).get("/api/v1/accounts/me/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "accounts.two_factor_required"


def test_tokens_made_in_a_verified_session_carry_the_mark(client):
    # given an official whose session passed 2FA
    user = make_member(Role.APPROVER)
    login(client, user)

    # when they make a token on the page and through the API
    client.post(reverse("accounts:tokens"), {"name": "page", "expires_in_days": 5})
    created = client.post(
        "/api/v1/accounts/tokens/",
        {"name": "api", "expires_in_days": 5},
        content_type="application/json",
    )

    # then both are marked and work for them
    assert created.status_code == 201
    assert list(ApiToken.objects.order_by("pk").values_list("name", "second_factor_verified")) == [
        ("page", True),
        ("api", True),
    ]
    assert _bearer(created.json()["token"]).get("/api/v1/accounts/me/").status_code == 200


def test_a_voluntary_session_without_2fa_makes_unmarked_tokens(client):
    user = UserFactory()
    login(client, user)

    client.post(reverse("accounts:tokens"), {"name": "page", "expires_in_days": 5})

    assert ApiToken.objects.get().second_factor_verified is False
