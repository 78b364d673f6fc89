"""The second step of signing in: a TOTP code or a recovery code, throttled."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.exceptions import InvalidOtpToken, OtpThrottled
from accounts.models import Role
from accounts.services import user_log_in_second_factor
from audit.models import Event
from tests.accounts.conftest import current_code, event_actions, give_recovery_codes, wrong_code
from tests.factories import PASSWORD, login, make_member

pytestmark = pytest.mark.django_db

STEP = "/accounts/two-factor/"


def _signed_in_with_password(client, role=Role.PROCUREMENT_OFFICER, next_url="/audit/"):
    user = make_member(role)
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.status_code == 302
    return user, TOTPDevice.objects.get(user=user)


def test_url_name_and_field():
    assert reverse("accounts:two_factor") == STEP


def test_a_right_totp_code_completes_the_sign_in_and_honours_next(client):
    # given an officer past the password step
    user, device = _signed_in_with_password(client)

    # when they enter the code their app shows
    response = client.post(STEP + "?next=%2Faudit%2F", {"otp_token": current_code(device)})

    # then the session is verified with that device and they go where they were going
    assert response.status_code == 302
    assert response.url == "/audit/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/dashboard/").status_code == 200
    # and the sign-in is recorded with its method, never the code
    assert event_actions() == ["user.logged_in"]
    event = Event.objects.get()
    assert event.actor_user == user
    assert event.payload == {"method": "totp"}


def test_a_wrong_code_is_refused_and_nothing_is_signed_in(client):
    # given an officer past the password step
    _user, device = _signed_in_with_password(client)

    # when they enter a wrong code
    response = client.post(STEP, {"otp_token": wrong_code(device)})

    # then the form says so; the session stays unverified and nothing is recorded
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "otp_token": ["This code is not valid. Check your authenticator app and try again."]
    }
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/dashboard/").status_code == 302
    assert Event.objects.count() == 0
    # and django-otp's throttle counted it
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_the_same_code_cannot_be_used_twice(client, no_otp_throttle):
    user, device = _signed_in_with_password(client)
    code = current_code(device)
    assert client.post(STEP, {"otp_token": code}).status_code == 302

    with pytest.raises(InvalidOtpToken):
        user_log_in_second_factor(user=user, token=code)

    assert event_actions() == ["user.logged_in"]


def test_a_recovery_code_works_once(client, no_otp_throttle):
    # given an officer with recovery codes, past the password step
    user, _device = _signed_in_with_password(client)
    give_recovery_codes(user, codes=("aaaa2222", "bbbb3333"))

    # when they enter a recovery code (spaced and in capitals, as people type)
    response = client.post(STEP, {"otp_token": "AAAA 2222"})

    # then they are in, the code is consumed, and the method is recorded
    assert response.status_code == 302
    assert list(StaticToken.objects.values_list("token", flat=True)) == ["bbbb3333"]
    assert Event.objects.get().payload == {"method": "recovery"}

    # when the same code is tried again in a new sign-in
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    again = client.post(STEP, {"otp_token": "aaaa2222"})

    # then it is refused
    assert again.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert event_actions() == ["user.logged_in", "user.logged_out"]


def test_django_otp_throttling_is_active_for_totp_and_recovery_codes(settings):
    # given the platform's settings
    assert settings.OTP_TOTP_THROTTLE_FACTOR == 1
    assert settings.OTP_STATIC_THROTTLE_FACTOR == 1
    user = make_member(Role.AUDITOR)
    device = TOTPDevice.objects.get(user=user)
    give_recovery_codes(user)
    start = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)

    with time_machine.travel(start, tick=False):
        # when a wrong code is entered
        with pytest.raises(InvalidOtpToken):
            user_log_in_second_factor(user=user, token=wrong_code(device))

        # then even the right code is refused until the back-off has passed
        with pytest.raises(OtpThrottled):
            user_log_in_second_factor(user=user, token=current_code(device))
    with time_machine.travel(start + datetime.timedelta(seconds=2), tick=False):
        assert user_log_in_second_factor(user=user, token=current_code(device)) == device

    # and recovery codes are throttled the same way
    with time_machine.travel(start + datetime.timedelta(seconds=10), tick=False):
        with pytest.raises(InvalidOtpToken):
            user_log_in_second_factor(user=user, token="zzzz7777")
        with pytest.raises(OtpThrottled):
            user_log_in_second_factor(user=user, token="aaaa2222")
    assert StaticToken.objects.filter(token="aaaa2222").exists()
    assert event_actions() == ["user.logged_in"]


def test_five_wrong_codes_end_the_half_signed_in_session(client, no_otp_throttle):
    # given an officer past the password step
    _user, device = _signed_in_with_password(client)

    # when they enter four wrong codes, the form keeps asking
    for _attempt in range(4):
        assert client.post(STEP, {"otp_token": wrong_code(device)}).status_code == 200

    # when they enter a fifth
    response = client.post(STEP + "?next=%2Faudit%2F", {"otp_token": wrong_code(device)})

    # then the session ends: back to the password, nothing recorded
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Faudit%2F"
    assert "_auth_user_id" not in client.session
    assert Event.objects.count() == 0


def test_the_code_step_without_a_session_goes_to_login(client):
    response = client.get(STEP)

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/two-factor/"


def test_a_verified_session_skips_the_code_step(client):
    user = make_member(Role.EVALUATOR)
    login(client, user)

    response = client.get(STEP + "?next=%2Faccounts%2F")

    assert response.status_code == 302
    assert response.url == "/accounts/"
