"""Signing in with email and password, out again, and django-axes' lock-out."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import Event
from tests.accounts.conftest import event_actions
from tests.factories import PASSWORD, UserFactory, login, make_member

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _post_login(client, email, password=PASSWORD, next_url=None):
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


def test_login_url_and_fields():
    assert reverse("accounts:login") == LOGIN


def test_a_supplier_logs_in_with_password_and_reaches_the_dashboard(client):
    # given a bidder (no second factor needed)
    user = make_member(Role.BIDDER)

    # when they post their email (in another case) and password
    response = _post_login(client, user.email.upper(), next_url="/dashboard/")

    # then they are in, and the sign-in is recorded with its method only
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert event_actions() == ["user.logged_in"]
    event = Event.objects.get()
    assert event.actor_user == user
    assert event.payload == {"method": "password"}
    assert client.get("/dashboard/").status_code == 200


def test_login_ignores_an_unsafe_next(client):
    user = UserFactory()

    response = _post_login(client, user.email, next_url="https://evil.example/")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_a_wrong_password_is_refused(client):
    # given an account
    user = UserFactory()

    # when the password is wrong
    response = _post_login(client, user.email, password="not my password")

    # then the form says so, nobody is signed in and no event is recorded
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The email address or the password is not right."
    ]
    assert "_auth_user_id" not in client.session
    assert Event.objects.count() == 0
    # and django-axes counted the failure
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_an_official_with_a_device_is_sent_to_the_code_step_without_being_logged_in_yet(
    client,
):
    # given a procurement officer with a confirmed authenticator
    user = make_member(Role.PROCUREMENT_OFFICER)

    # when the password is right
    response = _post_login(client, user.email, next_url="/audit/")

    # then the next step is the code, carrying where they were going
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/?next=%2Faudit%2F"
    # and the sign-in is not complete: no event, the session is not verified
    assert Event.objects.count() == 0
    assert client.get("/dashboard/").url == "/accounts/two-factor/?next=%2Fdashboard%2F"


def test_a_voluntary_2fa_user_also_owes_the_code(client):
    # given a bidder who turned on 2FA on their own
    user = make_member(Role.BIDDER)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)

    # when they sign in with the password only
    response = _post_login(client, user.email)

    # then the password alone does not open the session
    assert response.url == "/accounts/two-factor/?next=%2Fdashboard%2F"
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/api/v1/accounts/me/").status_code == 403


def test_logout_is_a_post_and_is_recorded(client):
    # given a signed-in user
    user = UserFactory()
    login(client, user)

    # when they GET the logout URL, nothing happens
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session

    # when they POST it
    response = client.post("/accounts/logout/")

    # then they are out, and it is recorded
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert event_actions() == ["user.logged_out"]
    assert Event.objects.get().actor_user == user


def test_pages_render(client):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password-reset/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b'name="csrfmiddlewaretoken"' in response.content


# --- Lock-out ---------------------------------------------------------------------------


def test_lockout_after_the_failure_limit_refuses_even_the_right_password(client, settings):
    # given an account, and the limit of failed log-ins
    user = UserFactory()
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5

    # when the limit of wrong passwords is reached (the address spelled in various cases)
    for attempt in range(limit - 1):
        response = _post_login(client, user.email, password=f"wrong {attempt}")
        assert response.status_code == 200
    last = _post_login(client, user.email.upper(), password="wrong again")

    # then the locked-out page says so
    assert last.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in last.templates]
    page = last.content.decode()
    assert "Too many failed log-ins" in page
    assert "Try again in 30 minutes." in page

    # when the right password is then given
    response = _post_login(client, user.email, password=PASSWORD)

    # then it is refused too, and nobody is signed in, nothing recorded
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert Event.objects.count() == 0


def test_another_account_from_the_same_address_is_not_locked(client, settings):
    locked = UserFactory()
    other = UserFactory()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _post_login(client, locked.email, password=f"wrong {attempt}")

    response = _post_login(client, other.email)

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == other.pk
