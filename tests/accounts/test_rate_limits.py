"""Sign-up, password reset and the verification link are rate-limited, and a refusal sends nothing.

Limits are counted per client address (behind the trusted proxy), per signed-in
user, or per e-mail address asked about; past one, the answer is a translated
429 page, and no account, audit event or outbox message is written.
"""

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from tests.accounts.conftest import event_actions, outbox_topics
from tests.factories import UserFactory, login

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
RESET = "/accounts/password-reset/"
RESEND = "/accounts/verify-email/resend/"
CLIENT = "203.0.113.7"
OTHER_CLIENT = "198.51.100.8"


@pytest.fixture
def rates(settings):
    """Small limits, one trusted proxy (as deployed behind nginx)."""
    settings.PANJERE_TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {
        **django_settings.RATE_LIMITS,
        "signup.ip": "2/hour",
        "password_reset.ip": "3/hour",
        "password_reset.email": "2/hour",
        "email_verification.ip": "5/hour",
        "email_verification.user": "2/hour",
    }
    return settings.RATE_LIMITS


def _sign_up(client, n, address=CLIENT):
    return client.post(
        SIGNUP,
        {
            "email": f"new{n}@example.org",
            "name": f"New {n}",
            "password1": "a long enough passphrase 42",
            "password2": "a long enough passphrase 42",
        },
        HTTP_X_FORWARDED_FOR=address,
    )


def assert_refused(response, language="en"):
    assert response.status_code == 429
    assert response.templates[0].name == "429.html"
    page = response.content.decode()
    if language == "en":
        assert '<h1 class="h3">Too many requests</h1>' in page
        assert "nothing was done and no e-mail was sent" in page
    else:
        assert '<h1 class="h3">درخواست‌های بیش از اندازه</h1>' in page


def test_the_defaults_come_from_the_environment_variables():
    assert django_settings.RATE_LIMITS == {
        "signup.ip": "10/hour",
        "password_reset.ip": "10/hour",
        "password_reset.email": "3/hour",
        "email_verification.ip": "10/hour",
        "email_verification.user": "3/hour",
        "two_factor_enrolment.ip": "10/hour",
        "two_factor_enrolment.user": "3/hour",
    }


def test_sign_ups_from_one_address_are_limited(client, rates):
    # given two sign-ups from one address, the limit
    for n in (1, 2):
        assert _sign_up(client, n).status_code == 302
        client.cookies.clear()
    before = (event_actions(), outbox_topics())

    # when a third comes from that address, even claiming another in X-Forwarded-For
    response = _sign_up(client, 3, address=f"192.0.2.9, {CLIENT}")

    # then it is refused: no account, no event, no e-mail
    assert_refused(response)
    assert not User.objects.filter(email="new3@example.org").exists()
    assert (event_actions(), outbox_topics()) == before
    assert outbox_topics() == ["accounts.send_email_verification"] * 2

    # and the form itself still shows; another address still signs up
    assert client.get(SIGNUP, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 200
    assert _sign_up(client, 4, address=OTHER_CLIENT).status_code == 302


def test_the_refusal_is_in_the_visitors_language(client, rates):
    for n in (1, 2):
        _sign_up(client, n)
        client.cookies.clear()

    response = client.post(
        SIGNUP, {"email": "x@example.org"}, HTTP_X_FORWARDED_FOR=CLIENT, HTTP_ACCEPT_LANGUAGE="fa"
    )

    assert_refused(response, language="fa")


def test_password_resets_for_one_address_are_limited_whatever_the_case(client, rates):
    # given an account and two reset requests for it, the limit per e-mail address
    user = UserFactory(email="sara@example.org")
    for email in ("sara@example.org", " SARA@example.org"):
        response = client.post(RESET, {"email": email}, HTTP_X_FORWARDED_FOR=CLIENT)
        assert response.status_code == 302
    before = (event_actions(), outbox_topics())
    assert outbox_topics() == ["accounts.send_password_reset"] * 2

    # when a third is asked for, in other capitals and from another address
    response = client.post(RESET, {"email": "Sara@Example.org"}, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)

    # then it is refused and nothing is sent
    assert_refused(response)
    assert (event_actions(), outbox_topics()) == before
    user.refresh_from_db()
    assert user.check_password("correct horse battery staple")


def test_password_resets_from_one_client_address_are_limited(client, rates):
    # given three reset requests from one address, for three accounts (the limit per address)
    for n in (1, 2, 3):
        UserFactory(email=f"person{n}@example.org")
        response = client.post(
            RESET, {"email": f"person{n}@example.org"}, HTTP_X_FORWARDED_FOR=CLIENT
        )
        assert response.status_code == 302
    UserFactory(email="person4@example.org")
    before = (event_actions(), outbox_topics())

    # when the same address asks for a fourth
    response = client.post(RESET, {"email": "person4@example.org"}, HTTP_X_FORWARDED_FOR=CLIENT)

    # then it is refused, nothing sent; another client may still ask
    assert_refused(response)
    assert (event_actions(), outbox_topics()) == before
    other = client.post(RESET, {"email": "person4@example.org"}, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)
    assert other.status_code == 302


def test_verification_links_are_limited_per_user(client, rates):
    # given an unverified user who asked for the link twice again, the limit
    user = UserFactory(email_verified_at=None)
    login(client, user)
    for _ in range(2):
        assert client.post(RESEND, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 302
    before = (event_actions(), outbox_topics())

    # when they ask a third time, from another address
    response = client.post(RESEND, HTTP_X_FORWARDED_FOR=OTHER_CLIENT)

    # then it is refused and no e-mail is queued
    assert_refused(response)
    assert (event_actions(), outbox_topics()) == before
    assert outbox_topics() == ["accounts.send_email_verification"] * 2


def test_verification_links_are_limited_per_client_address(client, rates):
    # given five users asking from one address, the limit per address
    for _ in range(5):
        login(client, UserFactory(email_verified_at=None))
        assert client.post(RESEND, HTTP_X_FORWARDED_FOR=CLIENT).status_code == 302
    login(client, UserFactory(email_verified_at=None))
    before = (event_actions(), outbox_topics())

    # when a sixth asks from there
    response = client.post(RESEND, HTTP_X_FORWARDED_FOR=CLIENT)

    # then it is refused and nothing queued
    assert_refused(response)
    assert (event_actions(), outbox_topics()) == before
