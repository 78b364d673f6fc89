"""Password reset by email (through the outbox) and password change."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import Event
from core import outbox
from core.models import OutboxMessage
from tests.accounts.conftest import event_actions, outbox_topics
from tests.factories import PASSWORD, UserFactory, login

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 2026"


def test_reset_by_email_through_the_outbox(client):
    # given an account
    user = UserFactory(email="sara@example.org")

    # when its owner asks for a reset (typing the address in capitals)
    response = client.post(reverse("accounts:password_reset"), {"email": "SARA@example.org"})

    # then the page says to check the mail, and one message is queued, without a token
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert outbox_topics() == ["accounts.send_password_reset"]
    message = OutboxMessage.objects.get()
    assert message.payload == {"user_id": user.pk}
    assert event_actions() == ["user.password_reset_requested"]

    # when the outbox sends it
    assert outbox.process(message.pk) is True

    # then the email carries a link that sets a new password, once
    assert mail.outbox[0].to == ["sara@example.org"]
    path = re.search(r"https?://[^/]+(/accounts/password-reset/\S+/)", mail.outbox[0].body)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    assert form_page.context["validlink"] is True
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert event_actions() == ["user.password_reset_requested", "user.password_reset"]
    again = client.get(path, follow=True)
    assert again.context["validlink"] is False


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_written(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert OutboxMessage.objects.count() == 0
    assert Event.objects.count() == 0


def test_password_change(client):
    # given a signed-in user
    user = UserFactory()
    login(client, user)

    # when they give a wrong old password, nothing changes
    wrong = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert Event.objects.count() == 0

    # when they give the right one
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    # then the password is changed and recorded, and they stay signed in
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert event_actions() == ["user.password_changed"]
    assert client.get(reverse("accounts:profile")).status_code == 200
