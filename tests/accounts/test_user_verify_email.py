"""Email verification: the link works once; expired, forged or foreign links change nothing."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.exceptions import EmailAlreadyVerified
from accounts.services import user_request_email_verification
from accounts.tokens import email_verification_token
from audit.models import Event
from core.models import OutboxMessage
from tests.accounts.conftest import event_actions, outbox_topics
from tests.factories import UserFactory, login

pytestmark = pytest.mark.django_db

START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _link(user, token=None) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "accounts:verify_email", args=[uidb64, token or email_verification_token.make_token(user)]
    )


def test_the_link_verifies_the_address_once(client):
    # given an unverified account and the link sent to it
    user = UserFactory(email_verified_at=None)
    link = _link(user)

    # when the link is opened (GET shows a button, which changes nothing) and confirmed
    page = client.get(link)
    assert page.status_code == 200
    user.refresh_from_db()
    assert user.email_verified_at is None
    response = client.post(link)

    # then the address is verified and the event recorded
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None
    assert event_actions() == ["user.email_verified"]
    assert Event.objects.get().payload == {}

    # when the same link is used again
    verified_at = user.email_verified_at
    again = client.post(link)

    # then it is refused, and nothing changes
    assert again.status_code == 400
    assert "This verification link is invalid or has expired." in again.content.decode()
    user.refresh_from_db()
    assert user.email_verified_at == verified_at
    assert event_actions() == ["user.email_verified"]


def test_an_expired_link_is_refused_and_changes_nothing(client, settings):
    # given a link made on 1 March, valid for 3 days
    settings.EMAIL_VERIFICATION_MAX_AGE_DAYS = 3
    user = UserFactory(email_verified_at=None)
    with time_machine.travel(START, tick=False):
        link = _link(user)

    # when it is used 3 days and 1 minute later
    with time_machine.travel(START + datetime.timedelta(days=3, minutes=1), tick=False):
        response = client.post(link)

    # then it is refused, and nothing changed or was recorded
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_link_just_within_its_age_works(client, settings):
    settings.EMAIL_VERIFICATION_MAX_AGE_DAYS = 3
    user = UserFactory(email_verified_at=None)
    with time_machine.travel(START, tick=False):
        link = _link(user)

    with time_machine.travel(START + datetime.timedelta(days=2, hours=23), tick=False):
        response = client.post(link)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email_verified_at is not None


@pytest.mark.parametrize(
    "forge",
    [
        lambda user, other: _link(user, token="cdsa12-0123456789abcdef0123456789abcdef"),
        lambda user, other: _link(user, token="not-a-token"),
        # another person's valid token on this person's id
        lambda user, other: _link(user, token=email_verification_token.make_token(other)),
        lambda user, other: reverse("accounts:verify_email", args=["!!!", "abc-def"]),
        lambda user, other: reverse("accounts:verify_email", args=["OTk5OTk5", "abc-def"]),
    ],
)
def test_forged_links_are_refused_and_change_nothing(client, forge):
    # given two unverified accounts
    user = UserFactory(email_verified_at=None)
    other = UserFactory(email_verified_at=None)

    # when a forged link is confirmed
    response = client.post(forge(user, other))

    # then it is refused, and nothing changes
    assert response.status_code == 400
    user.refresh_from_db()
    other.refresh_from_db()
    assert user.email_verified_at is None
    assert other.email_verified_at is None
    assert Event.objects.count() == 0


def test_a_link_dies_when_the_address_changes(client):
    user = UserFactory(email="old@example.org", email_verified_at=None)
    link = _link(user)
    user.email = "new@example.org"
    user.save()

    response = client.post(link)

    assert response.status_code == 400
    user.refresh_from_db()
    assert user.email_verified_at is None


def test_resend_queues_a_new_email(client):
    # given a signed-in, unverified user
    user = UserFactory(email_verified_at=None)
    login(client, user)

    # when they ask for the link again
    response = client.post(reverse("accounts:resend_verification"))

    # then a new message is queued and the request recorded
    assert response.status_code == 302
    assert outbox_topics() == ["accounts.send_email_verification"]
    assert OutboxMessage.objects.get().payload == {"user_id": user.pk}
    assert event_actions() == ["user.email_verification_requested"]


def test_resend_is_refused_once_verified():
    user = UserFactory()

    with pytest.raises(EmailAlreadyVerified):
        user_request_email_verification(user=user)

    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
