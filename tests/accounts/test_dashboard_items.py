"""The account's items on the one-window dashboard."""

import datetime

import pytest
from django_otp.plugins.otp_static.models import StaticToken

from accounts.dashboard import account_items
from accounts.models import ApiToken, Role
from accounts.services import api_token_create
from core.clock import db_now
from tests.accounts.conftest import enable_two_factor
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db


def _titles(user) -> list[tuple[str, str, str]]:
    return [(item.level, item.title, item.url) for item in account_items(user)]


def _with_2fa(user):
    enable_two_factor(user)
    return user


def test_an_unverified_address_without_2fa():
    user = UserFactory(email_verified_at=None)

    assert _titles(user) == [
        ("warning", "Verify your email address", "/accounts/"),
        (
            "info",
            "Protect your account with two-factor authentication",
            "/accounts/two-factor/setup/",
        ),
    ]


def test_officials_are_not_invited_to_voluntary_2fa():
    # (the middleware makes them set it up before they see the dashboard)
    user = make_member(Role.APPROVER, totp=False)

    assert _titles(user) == []


def test_a_settled_account_has_nothing_to_do():
    user = _with_2fa(make_member(Role.BIDDER))

    assert _titles(user) == []


def test_fewer_than_three_recovery_codes_left():
    user = _with_2fa(UserFactory())
    keep = list(StaticToken.objects.values_list("pk", flat=True)[:2])
    StaticToken.objects.exclude(pk__in=keep).delete()

    items = account_items(user)

    assert [(i.level, i.title, i.url, i.count) for i in items] == [
        ("warning", "Only 2 recovery codes left", "/accounts/two-factor/recovery-codes/", 2)
    ]


def test_no_recovery_code_left():
    user = _with_2fa(UserFactory())
    StaticToken.objects.all().delete()

    items = account_items(user)

    assert [(i.level, i.title, i.url, i.count) for i in items] == [
        ("warning", "You have no recovery codes", "/accounts/two-factor/recovery-codes/", 0)
    ]


def test_three_recovery_codes_left_is_enough():
    user = _with_2fa(UserFactory())
    keep = list(StaticToken.objects.values_list("pk", flat=True)[:3])
    StaticToken.objects.exclude(pk__in=keep).delete()

    assert _titles(user) == []


def test_a_token_expiring_within_14_days(settings):
    # given tokens expiring in 13 days, in 15 days, and a revoked one in 3 days
    settings.TIME_ZONE = "UTC"
    user = _with_2fa(UserFactory())
    soon, _raw = api_token_create(actor=user, name="soon", expires_in_days=14)
    api_token_create(actor=user, name="later", expires_in_days=15)
    revoked, _raw = api_token_create(actor=user, name="revoked", expires_in_days=3)
    revoked.revoked_at = revoked.created_at
    revoked.save()
    expiry = (db_now() + datetime.timedelta(days=13)).replace(hour=9, minute=0, second=0)
    ApiToken.objects.filter(pk=soon.pk).update(expires_at=expiry)

    # then only the first is on the dashboard
    items = account_items(user)

    assert [(i.level, i.title, i.detail, i.url) for i in items] == [
        (
            "warning",
            "API token “soon” expires soon",
            f"It stops working on {expiry.day} {expiry:%B %Y}, 09:00.",
            "/accounts/tokens/",
        )
    ]


def test_the_dashboard_page_shows_the_items(client):
    user = UserFactory(email_verified_at=None)
    login(client, user)

    page = client.get("/dashboard/").content.decode()

    assert "Verify your email address" in page
    assert "Protect your account with two-factor authentication" in page
