"""Setting up two-factor authentication; recovery codes; turning it off (voluntary users only)."""

import re
from base64 import b32encode

import pytest
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.exceptions import TwoFactorAlreadyEnabled, TwoFactorNotEnabled, TwoFactorRequired
from accounts.models import Role, TwoFactorEnrolment
from accounts.services import (
    two_factor_disable,
    two_factor_enable,
    two_factor_regenerate_recovery_codes,
    two_factor_start_setup,
)
from accounts.views import ENROLMENT_SESSION_KEY
from audit.models import Event
from core import outbox
from core.models import OutboxMessage
from tests.accounts.conftest import (
    current_code,
    enable_two_factor,
    event_actions,
    opened_enrolment,
    outbox_topics,
    wrong_code,
)
from tests.factories import PASSWORD, UserFactory, login, make_member

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
ENROLMENT_LINK = "/accounts/two-factor/enrolment-link/"


def _codes_in(page: str) -> list[str]:
    return re.findall(r"<code>([a-z2-7]{8})</code>", page)


def test_url_name():
    assert reverse("accounts:two_factor_setup") == SETUP


def _link_in(mail_body: str) -> str:
    return re.search(r"https?://[^/]+(/accounts/two-factor/enrol/\S+/)", mail_body)[1]


def test_an_official_sets_up_2fa_at_first_sign_in_with_a_link_from_their_email(client):
    # given a new approver who has just given the right password
    user = make_member(Role.APPROVER, totp=False)
    login_response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": "/dashboard/"}
    )
    assert login_response.url == "/accounts/two-factor/?next=%2Fdashboard%2F"
    assert client.get(login_response.url).url == SETUP + "?next=%2Fdashboard%2F"

    # when they open the setup page, the password alone shows no QR code: it asks for a link
    gate = client.get(SETUP + "?next=%2Fdashboard%2F")
    assert gate.status_code == 200
    assert gate.templates[0].name == "accounts/two_factor_enrolment.html"
    assert "<svg" not in gate.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    # when they ask for the link, and the outbox sends it to their verified address
    asked = client.post(ENROLMENT_LINK, {"next": "/dashboard/"})
    assert asked.url == SETUP + "?next=%2Fdashboard%2F"
    assert outbox_topics() == ["accounts.send_two_factor_enrolment"]
    message = OutboxMessage.objects.get()
    assert list(message.payload) == ["enrolment_id"]
    assert outbox.process(message.pk) is True
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Set up your authenticator for Panjere"
    link = _link_in(mail.outbox[0].body)

    # when they open the link (GET asks, changes nothing) and continue
    assert client.get(link).status_code == 200
    opened = client.post(link)
    assert opened.url == SETUP

    # then the setup shows a QR code inline (no image request, no script) and the secret
    page = client.get(SETUP + "?next=%2Fdashboard%2F")
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
    # and the record says how: the link asked for, opened, 2FA enabled, sign-in completed
    enrolment = TwoFactorEnrolment.objects.get()
    assert event_actions() == [
        "user.two_factor_enrolment_requested",
        "user.two_factor_enrolment_opened",
        "user.two_factor_enabled",
        "user.logged_in",
    ]
    assert Event.objects.get(action="user.two_factor_enabled").payload == {
        "device": "totp",
        "recovery_codes": 10,
        "enrolment_id": enrolment.pk,
        "enrolment": "email",
    }
    assert Event.objects.get(action="user.logged_in").payload == {"method": "totp"}
    for event in Event.objects.all():
        for code in [*codes, device.key, secret, link]:
            assert code not in str(event.payload)


def _with_opened_enrolment(client, user):
    enrolment = opened_enrolment(user)
    session = client.session
    session[ENROLMENT_SESSION_KEY] = enrolment.pk
    session.save()
    return enrolment


def test_a_wrong_setup_code_changes_nothing(client):
    # given an official on the setup page, with an opened enrolment link
    user = make_member(Role.AUDITOR, totp=False)
    client.force_login(user)
    enrolment = _with_opened_enrolment(client, user)
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
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None


def test_any_user_may_enable_2fa_voluntarily_from_their_account(client):
    # given a supplier signed in with a password, who opened an enrolment link
    user = make_member(Role.BIDDER)
    login(client, user)
    assert "Set up two-factor authentication" in client.get("/accounts/").content.decode()
    _with_opened_enrolment(client, user)

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
    _device, old_codes = enable_two_factor(user)
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
    device, _codes = enable_two_factor(user)
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
