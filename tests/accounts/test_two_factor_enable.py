"""Setting up two-factor authentication; recovery codes; turning it off (voluntary users only)."""

import re
from base64 import b32encode

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.exceptions import TwoFactorAlreadyEnabled, TwoFactorNotEnabled, TwoFactorRequired
from accounts.models import Role
from accounts.services import (
    two_factor_disable,
    two_factor_enable,
    two_factor_regenerate_recovery_codes,
    two_factor_start_setup,
)
from audit.models import Event
from tests.accounts.conftest import current_code, event_actions, wrong_code
from tests.factories import PASSWORD, UserFactory, login, make_member

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"


def _codes_in(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{8})</code>", page)


def test_url_name():
    assert reverse("accounts:two_factor_setup") == SETUP


def test_an_official_sets_up_2fa_at_first_sign_in(client):
    # given a new approver who has just given the right password
    user = make_member(Role.APPROVER, totp=False)
    login_response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "/dashboard/"}
    )
    assert login_response.url == "/accounts/two-factor/?next=%2Fdashboard%2F"
    assert client.get(login_response.url).url == SETUP + "?next=%2Fdashboard%2F"

    # when they open the setup page
    page = client.get(SETUP + "?next=%2Fdashboard%2F")

    # then it shows a QR code inline (no image request, no script) and the secret for manual entry
    assert page.status_code == 200
    html = page.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    assert "<svg" in html
    secret = b32encode(device.bin_key).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert 'name="otp_token"' in html
    # and reloading the page keeps the same secret
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=user).key == device.key

    # when they confirm with a code from their app
    response = client.post(SETUP, {"otp_token": current_code(device), "next": "/dashboard/"})

    # then 2FA is on, the session verified, and 10 recovery codes are shown once
    assert response.status_code == 200
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    codes = _codes_in(response.content.decode())
    assert len(codes) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(codes)
    assert response["Cache-Control"].startswith("max-age=0")
    assert 'href="/dashboard/"' in response.content.decode()
    assert client.get("/dashboard/").status_code == 200
    # and the record says 2FA was enabled and the sign-in completed with TOTP; no secret in it
    assert event_actions() == ["user.two_factor_enabled", "user.logged_in"]
    assert Event.objects.get(action="user.two_factor_enabled").payload == {
        "device": "totp",
        "recovery_codes": 10,
    }
    assert Event.objects.get(action="user.logged_in").payload == {"method": "totp"}
    for event in Event.objects.all():
        for code in [*codes, device.key, secret]:
            assert code not in str(event.payload)


def test_a_wrong_setup_code_changes_nothing(client):
    # given an official on the setup page
    user = make_member(Role.AUDITOR, totp=False)
    client.force_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)

    # when the code is wrong
    response = client.post(SETUP, {"otp_token": wrong_code(device)})

    # then the form says so; the device stays unconfirmed; nothing else is written
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["otp_token"]
    device.refresh_from_db()
    assert device.confirmed is False
    assert not StaticDevice.objects.exists()
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert Event.objects.count() == 0


def test_any_user_may_enable_2fa_voluntarily_from_their_account(client):
    # given a supplier signed in with a password
    user = make_member(Role.BIDDER)
    login(client, user)
    assert "Set up two-factor authentication" in client.get("/accounts/").content.decode()

    # when they set it up
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"otp_token": current_code(device)})

    # then it is on, without a second sign-in event
    assert response.status_code == 200
    assert event_actions() == ["user.two_factor_enabled"]
    assert client.get("/dashboard/").status_code == 200


def test_setup_is_refused_when_2fa_is_already_on(client):
    user = make_member(Role.EVALUATOR)
    login(client, user)

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response.url == "/accounts/"
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor_start_setup(user=user)
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor_enable(user=user, token="123456")
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert Event.objects.count() == 0


def test_recovery_codes_can_be_regenerated_and_the_old_ones_die(client):
    # given an officer with 2FA and recovery codes
    user = make_member(Role.PROCUREMENT_OFFICER, totp=False)
    device = two_factor_start_setup(user=user)
    device, old_codes = two_factor_enable(user=user, token=current_code(device))
    login(client, user)
    assert (
        "10 unused recovery codes left"
        in client.get("/accounts/two-factor/recovery-codes/").content.decode()
    )

    # when they make new ones
    response = client.post("/accounts/two-factor/recovery-codes/")

    # then 10 new codes are shown once and only they work
    new_codes = _codes_in(response.content.decode())
    assert len(new_codes) == 10
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert stored == set(new_codes)
    assert not stored & set(old_codes)
    assert event_actions() == ["user.two_factor_enabled", "user.recovery_codes_regenerated"]
    assert Event.objects.last().payload == {"recovery_codes": 10}


def test_recovery_codes_page_needs_a_verified_session(client):
    user = make_member(Role.PROCUREMENT_OFFICER)
    client.force_login(user)

    response = client.post("/accounts/two-factor/recovery-codes/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/two-factor/?next=")
    assert Event.objects.count() == 0


def test_a_voluntary_user_may_turn_2fa_off_with_a_code(client):
    user = make_member(Role.SUPPLIER_ADMIN)
    device = two_factor_start_setup(user=user)
    device, _codes = two_factor_enable(user=user, token=current_code(device))
    login(client, user)

    response = client.post(
        "/accounts/two-factor/disable/", {"otp_token": current_code(device, offset_steps=1)}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert event_actions() == ["user.two_factor_enabled", "user.two_factor_disabled"]


def test_an_official_cannot_turn_2fa_off(client):
    user = make_member(Role.CONTRACT_MANAGER)
    device = TOTPDevice.objects.get(user=user)
    login(client, user)

    page = client.post("/accounts/two-factor/disable/", {"otp_token": current_code(device)})
    assert page.status_code == 200
    with pytest.raises(TwoFactorRequired):
        two_factor_disable(user=user, token=current_code(device))

    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert Event.objects.count() == 0


def test_regenerate_needs_2fa():
    user = UserFactory()

    with pytest.raises(TwoFactorNotEnabled):
        two_factor_regenerate_recovery_codes(user=user)

    assert Event.objects.count() == 0
