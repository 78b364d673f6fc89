"""Sign-up: an unverified account, and the verification email through the outbox."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.emails import prepare_email_verification
from accounts.exceptions import EmailTaken, PasswordRejected
from accounts.models import User
from accounts.permissions import Perm, has_perm
from accounts.services import EMAIL_VERIFICATION_TOPIC, user_sign_up
from audit.models import Event
from core import outbox
from core.models import OutboxMessage, OutboxStatus
from tests.accounts.conftest import event_actions, outbox_topics
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long and unusual passphrase 42"


def _form(**overrides):
    data = {
        "email": "Sara@Example.ORG",
        "name": "Sara Ahmadi",
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(overrides)
    return data


def test_sign_up_page_creates_an_unverified_account_and_queues_the_email(client):
    # when someone fills in the sign-up form
    response = client.post(reverse("accounts:signup"), _form())

    # then the account exists, signed in, with the address lower-cased and unverified
    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get()
    assert user.email == "sara@example.org"
    assert user.name == "Sara Ahmadi"
    assert user.email_verified_at is None
    assert user.check_password(GOOD_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    # and the sign-up is on the record, the verification email in the outbox, no secret in either
    assert event_actions() == ["user.signed_up", "user.logged_in"]
    # the address is personal data: the side table of the trail holds it, never the chain
    assert Event.objects.get(action="user.signed_up").payload == {}
    assert Event.objects.get(action="user.signed_up").actor.email == "sara@example.org"
    message = OutboxMessage.objects.get()
    assert message.topic == EMAIL_VERIFICATION_TOPIC
    assert message.payload == {"user_id": user.pk}
    # and nothing sensitive is allowed before the address is verified
    assert has_perm(user, Perm.MANAGE_OWN_API_TOKENS) is False


def test_sign_up_refuses_a_taken_address_whatever_its_case(client):
    # given an account with this address
    UserFactory(email="sara@example.org")

    # when someone signs up with it in capitals
    response = client.post(reverse("accounts:signup"), _form(email="SARA@example.org"))

    # then the form says so, and nothing is written
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": ["An account with this email address already exists."]
    }
    assert User.objects.count() == 1
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password2": "something else entirely 42"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password1"),
        ({"password1": "password123", "password2": "password123"}, "password1"),
        ({"password1": "sara ahmadi", "password2": "sara ahmadi"}, "password1"),
    ],
)
def test_sign_up_refuses_mismatched_or_weak_passwords(client, overrides, field):
    # when the passwords differ, or a validator rejects them
    response = client.post(reverse("accounts:signup"), _form(**overrides))

    # then the form shows the error on the field, and nothing is written
    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert User.objects.count() == 0
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_sign_up_service_checks_the_password_itself():
    # when a caller skips the form
    with pytest.raises(PasswordRejected) as raised:
        user_sign_up(email="a@example.org", name="A", password="123")

    # then the validators still apply, and nothing is written
    assert raised.value.code == "accounts.password_rejected"
    assert raised.value.field == "password"
    assert User.objects.count() == 0
    assert Event.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_sign_up_service_refuses_a_taken_address():
    UserFactory(email="taken@example.org")

    with pytest.raises(EmailTaken):
        user_sign_up(email=" Taken@Example.org ", name="B", password=GOOD_PASSWORD)

    assert User.objects.count() == 1
    assert Event.objects.count() == 0
    assert outbox_topics() == []


def test_the_outbox_handler_sends_the_link_with_a_fresh_token(settings):
    # given a new account's queued message
    settings.SITE_URL = "https://panjere.example"
    user_sign_up(email="sara@example.org", name="Sara", password=GOOD_PASSWORD)
    message = OutboxMessage.objects.get()

    # when the outbox runs the handler
    assert outbox.process(message.pk) is True

    # then one email goes to the address, with a verification link
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["sara@example.org"]
    assert sent.subject == "Verify your email address for Panjere"
    link = next(line for line in sent.body.splitlines() if line.startswith("https://"))
    assert link.startswith("https://panjere.example/accounts/verify-email/")
    # and the token in the link is nowhere in the outbox
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert token not in str(OutboxMessage.objects.get().payload)


def test_the_handler_sends_nothing_for_an_address_already_verified():
    user = UserFactory()  # verified

    assert prepare_email_verification(user.pk) is None
    assert mail.outbox == []


def test_the_handlers_are_registered_with_the_outbox():
    # given a new account's queued message
    user_sign_up(email="sara@example.org", name="Sara", password=GOOD_PASSWORD)
    message = OutboxMessage.objects.get()

    # when the outbox processes it as a worker would
    assert outbox.process(message.pk) is True

    # then the email went out and the message is done
    assert [sent.to for sent in mail.outbox] == [["sara@example.org"]]
    message.refresh_from_db()
    assert message.status == OutboxStatus.PROCESSED
    assert {"accounts.send_email_verification", "accounts.send_password_reset"} <= set(
        outbox.registered_topics()
    )
