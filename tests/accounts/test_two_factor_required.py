"""Buyer-side, oversight and auditor roles reach nothing before their second factor."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import TWO_FACTOR_ROLES, Role
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db

OFFICIAL_ROLES = [
    Role.PROCUREMENT_OFFICER,
    Role.COMMITTEE_MEMBER,
    Role.EVALUATOR,
    Role.APPROVER,
    Role.CONTRACT_MANAGER,
    Role.AUDITOR,
    Role.VERIFIER,
    Role.PLATFORM_ADMIN,
]
SUPPLIER_ROLES = [Role.SUPPLIER_ADMIN, Role.BIDDER]
# Pages outside the sign-in flow, the account's own pages included.
GUARDED_PAGES = [
    "/dashboard/",
    "/audit/",
    "/notifications/",
    "/accounts/",
    "/accounts/tokens/",
    "/accounts/two-factor/recovery-codes/",
    "/accounts/password-change/",
]


def test_the_official_roles_are_exactly_the_two_factor_roles():
    assert set(OFFICIAL_ROLES) == TWO_FACTOR_ROLES


@pytest.mark.parametrize("role", OFFICIAL_ROLES)
def test_an_official_without_a_device_is_sent_to_set_one_up(client, role):
    # given an official signed in with the password, without an authenticator
    user = make_member(role, totp=False)
    client.force_login(user)

    for page in GUARDED_PAGES:
        # when they ask for any page outside the sign-in flow
        response = client.get(page)

        # then they are sent to the second-factor step, which sends them to the setup
        assert response.status_code == 302, page
        assert response.url == reverse("accounts:two_factor") + "?next=" + page.replace("/", "%2F")
    step = client.get(reverse("accounts:two_factor") + "?next=%2Faudit%2F")
    assert step.status_code == 302
    assert step.url == "/accounts/two-factor/setup/?next=%2Faudit%2F"
    assert client.get(step.url).status_code == 200


@pytest.mark.parametrize("role", OFFICIAL_ROLES)
def test_an_official_without_a_device_gets_403_problem_from_the_api(client, role):
    # given an official signed in with the password only
    user = make_member(role, totp=False)
    client.force_login(user)

    # when they call the API with their session
    for url in ("/api/v1/accounts/me/", "/api/v1/accounts/tokens/", "/api/v1/audit/events/"):
        response = client.get(url)

        # then the answer is a 403 problem
        assert response.status_code == 403, url
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "accounts.two_factor_required"
        assert body["title"] == "Two-factor authentication is required."

    # and they cannot make an API token to go around it
    create = client.post(
        "/api/v1/accounts/tokens/",
        {"name": "bypass", "expires_in_days": 30},
        content_type="application/json",
    )
    assert create.status_code == 403
    page = client.post(reverse("accounts:tokens"), {"name": "bypass", "expires_in_days": 30})
    assert page.status_code == 302
    assert not user.api_tokens.exists()


@pytest.mark.parametrize("role", OFFICIAL_ROLES)
def test_an_official_with_an_unverified_device_is_sent_to_the_code_step(client, role):
    # given an official with a confirmed device, signed in with the password only
    user = make_member(role)
    client.force_login(user)

    # when they ask for the dashboard or the audit trail
    for page in ("/dashboard/", "/audit/"):
        response = client.get(page)
        assert response.url == f"/accounts/two-factor/?next={page.replace('/', '%2F')}"

    # then the code step asks for a code (and does not send them to the setup)
    step = client.get("/accounts/two-factor/?next=%2Fdashboard%2F")
    assert step.status_code == 200
    assert 'name="otp_token"' in step.content.decode()


@pytest.mark.parametrize("role", OFFICIAL_ROLES)
def test_an_official_with_a_verified_session_reaches_the_pages(client, role):
    user = make_member(role)
    login(client, user)

    assert client.get("/dashboard/").status_code == 200
    assert client.get("/accounts/").status_code == 200
    assert client.get("/api/v1/accounts/me/").status_code == 200


@pytest.mark.parametrize("role", SUPPLIER_ROLES)
def test_a_supplier_without_2fa_reaches_the_dashboard(client, role):
    user = make_member(role)
    client.force_login(user)

    assert not TOTPDevice.objects.filter(user=user).exists()
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/accounts/").status_code == 200
    assert client.get("/api/v1/accounts/me/").status_code == 200


def test_staff_need_2fa_for_the_admin(client):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/?next=%2Fadmin%2F"


def test_the_sign_in_flow_stays_reachable(client):
    # given an official half-way through signing in
    user = make_member(Role.APPROVER, totp=False)
    client.force_login(user)

    # then the sign-in flow's pages answer, and so does the language switcher
    assert client.get("/accounts/two-factor/setup/").status_code == 200
    assert client.get("/accounts/password-reset/").status_code == 200
    switch = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    assert switch.status_code == 302
    assert client.post("/accounts/logout/").status_code == 302
