"""The account page: what it shows, and changing one's name and language."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import api_token_create
from audit.models import Event
from tests.accounts.conftest import enable_two_factor, event_actions
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db


def test_url():
    assert reverse("accounts:profile") == "/accounts/"


def test_the_page_shows_the_account(client):
    # given a committee member with 2FA, recovery codes and a token
    user = make_member(Role.COMMITTEE_MEMBER, totp=False, name="Reza Karimi")
    enable_two_factor(user)
    api_token_create(actor=user, name="opening scripts", expires_in_days=30)
    organisation = user.memberships.get().organisation
    login(client, user)

    # when they open their account page
    page = client.get(reverse("accounts:profile")).content.decode()

    # then it shows name, address (verified), role, 2FA status and the token
    assert "Reza Karimi" in page
    assert user.email in page
    assert ">verified</span>" in page
    assert "not verified" not in page
    assert organisation.name in page
    assert "Committee member" in page
    assert "10 recovery codes left." in page
    assert "opening scripts" in page


def test_an_unverified_address_offers_a_new_link(client):
    user = UserFactory(email_verified_at=None)
    login(client, user)

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "not verified" in page
    assert reverse("accounts:resend_verification") in page


def test_changing_name_and_language(client):
    user = UserFactory(name="Old Name", language="en")
    login(client, user)

    response = client.post(reverse("accounts:profile"), {"name": "New Name", "language": "fa"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "New Name"
    assert user.language == "fa"
    assert response.cookies["django_language"].value == "fa"
    assert event_actions() == ["user.profile_updated", "user.language_changed"]
    # names are personal data: the chain says what changed, the side table holds the name
    assert Event.objects.first().payload == {"changed": ["name"]}
    assert Event.objects.first().actor.name == "New Name"


def test_an_empty_name_is_refused(client):
    user = UserFactory(name="Kept")
    login(client, user)

    response = client.post(reverse("accounts:profile"), {"name": "   ", "language": "en"})

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.name == "Kept"
    assert Event.objects.count() == 0


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/"
