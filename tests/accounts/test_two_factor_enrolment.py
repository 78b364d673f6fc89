"""A password alone never enrols an authenticator: a second proof is needed, and audited.

The proof is a one-time link, signed and short-lived: e-mailed to the verified
address at the user's request, or issued by an administrator
(`manage.py two_factor_enrolment`). Without it, an attacker holding an
official's password could add their own authenticator and keep the account.
"""

import datetime
import io
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils.dateparse import parse_datetime
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.exceptions import (
    EmailNotVerified,
    EnrolmentProofRequired,
    InvalidEnrolmentLink,
    TwoFactorAlreadyEnabled,
)
from accounts.models import Role, TwoFactorEnrolment
from accounts.services import (
    two_factor_enable,
    two_factor_enrolment_issue,
    two_factor_enrolment_open,
    two_factor_enrolment_request,
    two_factor_start_setup,
)
from accounts.tokens import make_enrolment_token
from audit.models import Event
from core import outbox
from core.clock import frozen_at
from core.models import OutboxMessage
from tests.accounts.conftest import current_code, event_actions, outbox_topics
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/setup/"
ENROLMENT_LINK = "/accounts/two-factor/enrolment-link/"
START = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


def _rows():
    return (
        list(TwoFactorEnrolment.objects.order_by("pk").values()),
        list(TOTPDevice.objects.order_by("pk").values()),
        event_actions(),
        outbox_topics(),
    )


def _signed_in_with_password(client, user):
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _path(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_the_password_alone_shows_no_secret_and_confirms_nothing(client):
    # given an official who gave the right password and has no authenticator
    official = make_member(Role.PROCUREMENT_OFFICER, totp=False)
    _signed_in_with_password(client, official)
    before = _rows()

    # when they open the setup page, or post a code to it
    page = client.get(SETUP)
    posted = client.post(SETUP, {"otp_token": "123456"})

    # then they are asked for the second proof, and nothing is made or written
    for response in (page, posted):
        assert response.status_code == 200
        assert response.templates[0].name == "accounts/two_factor_enrolment.html"
        html = response.content.decode()
        assert "Email me the link" in html
        assert "<svg" not in html
    assert _rows() == before
    # and the services refuse as well
    with pytest.raises(EnrolmentProofRequired):
        two_factor_start_setup(user=official)
    with pytest.raises(EnrolmentProofRequired):
        two_factor_enable(user=official, token="123456")
    assert _rows() == before


def test_the_email_link_works_once(client):
    # given an official whose link was e-mailed
    official = make_member(Role.APPROVER, totp=False, email="sara@roads.example")
    _signed_in_with_password(client, official)
    client.post(ENROLMENT_LINK)
    assert outbox.process(OutboxMessage.objects.get().pk) is True
    link = _path(re.search(r"https?://\S+/enrol/\S+/", mail.outbox[0].body)[0])
    assert "expires after 60 minutes" in mail.outbox[0].body

    # when it is used
    assert client.post(link).url == SETUP
    before = _rows()

    # then a second use, in this or any session, is refused and changes nothing
    again = client.post(link)
    assert again.status_code == 400
    assert "invalid, used or expired" in again.content.decode()
    assert _rows() == before
    enrolment = TwoFactorEnrolment.objects.get()
    assert enrolment.method == "email"
    assert enrolment.issued_by is None
    assert enrolment.opened_at is not None


def test_the_gate_masks_the_address_it_writes_to(client):
    official = make_member(Role.APPROVER, totp=False, email="sara@roads.example")
    _signed_in_with_password(client, official)

    html = client.get(SETUP).content.decode()

    assert '<bdi dir="ltr">s•••@roads.example</bdi>' in html
    assert "sara@roads.example" not in html


def test_an_expired_link_is_refused_and_changes_nothing(client):
    # given a link asked for, and made, at START (the database's clock and the signer's)
    official = make_member(Role.APPROVER, totp=False)
    with time_machine.travel(START, tick=False), frozen_at(START):
        enrolment = two_factor_enrolment_request(user=official)
        token = make_enrolment_token(enrolment)
    before = _rows()

    # when it is used 61 minutes later
    later = START + datetime.timedelta(minutes=61)
    with (
        time_machine.travel(later, tick=False),
        frozen_at(later),
        pytest.raises(InvalidEnrolmentLink),
    ):
        two_factor_enrolment_open(user=official, token=token)

    # then nothing changed
    assert _rows() == before


@pytest.mark.parametrize("tamper", ["forged", "another account", "garbage"])
def test_a_link_that_is_not_this_accounts_is_refused(client, tamper):
    official = make_member(Role.APPROVER, totp=False)
    other = make_member(Role.APPROVER, totp=False)
    enrolment = two_factor_enrolment_request(user=other)
    token = make_enrolment_token(enrolment)
    if tamper == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    before = _rows()

    with pytest.raises(InvalidEnrolmentLink):
        two_factor_enrolment_open(
            user=official if tamper != "forged" else other,
            token=token if tamper != "garbage" else "not-a-token",
        )

    assert _rows() == before


def test_an_unverified_address_gets_no_link(client):
    # given an official whose address was never verified
    official = make_member(Role.AUDITOR, totp=False, email_verified_at=None)
    _signed_in_with_password(client, official)
    before = _rows()

    # when they look for a link
    gate = client.get(SETUP).content.decode()
    response = client.post(ENROLMENT_LINK)

    # then they are told to verify the address first, and nothing is sent
    assert "Your email address is not verified yet." in gate
    assert response.status_code == 302
    assert _rows() == before
    with pytest.raises(EmailNotVerified):
        two_factor_enrolment_request(user=official)
    # and the verification link is theirs to ask for, before the second factor
    assert client.post("/accounts/verify-email/resend/").status_code == 302
    assert outbox_topics() == ["accounts.send_email_verification"]


def test_a_link_opened_before_signing_in_waits_for_the_password(client):
    # given a link e-mailed to an official
    official = make_member(Role.EVALUATOR, totp=False)
    token = make_enrolment_token(two_factor_enrolment_request(user=official))
    link = f"/accounts/two-factor/enrol/{token}/"
    before = _rows()

    # when it is opened in a browser where nobody is signed in
    response = client.get(link)

    # then it sends them to sign in first, unused
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")
    assert _rows() == before

    # and after the password they come back to it
    login_response = client.post(response.url, {"username": official.email, "password": PASSWORD})
    assert login_response.url == link
    assert client.post(link).url == SETUP
    assert "<svg" in client.get(SETUP).content.decode()


def test_an_enrolment_serves_one_authenticator_only(client):
    # given a voluntary user who enrolled with a link, then turned 2FA off
    user = make_member(Role.SUPPLIER_ADMIN)
    enrolment, token = two_factor_enrolment_issue(user=user)
    enrolment = two_factor_enrolment_open(user=user, token=token)
    device = two_factor_start_setup(user=user, enrolment=enrolment)
    two_factor_enable(user=user, token=current_code(device), enrolment=enrolment)
    TOTPDevice.objects.filter(user=user).delete()
    before = _rows()

    # when the same enrolment is offered again
    with pytest.raises(EnrolmentProofRequired):
        two_factor_start_setup(user=user, enrolment=enrolment)

    # then nothing changed
    assert _rows() == before


def test_an_administrator_issues_a_link_from_the_command_line(client):
    # given an official who cannot receive mail, and the administrator who checked who they are
    official = make_member(Role.CONTRACT_MANAGER, totp=False, email="new@roads.example")
    admin = make_member(Role.PLATFORM_ADMIN, email="admin@ppa.example")
    out, err = io.StringIO(), io.StringIO()

    # when the administrator issues a link
    call_command(
        "two_factor_enrolment", "NEW@roads.example", by="admin@ppa.example", stdout=out, stderr=err
    )

    # then a link is printed, and the issue is on the record, attributed
    link = out.getvalue().strip()
    assert re.fullmatch(r"http://127\.0\.0\.1:8000/accounts/two-factor/enrol/\S+/", link)
    assert "Works once, for new@roads.example" in err.getvalue()
    enrolment = TwoFactorEnrolment.objects.get()
    assert (enrolment.method, enrolment.issued_by) == ("administrator", admin)
    event = Event.objects.get()
    assert event.action == "user.two_factor_enrolment_issued"
    assert event.actor_user == admin
    expires_at = event.payload.pop("expires_at")
    assert event.payload == {"enrolment_id": enrolment.pk, "method": "administrator"}
    assert abs(parse_datetime(expires_at) - enrolment.expires_at) < datetime.timedelta(
        milliseconds=1
    )
    life = enrolment.expires_at - enrolment.created_at
    assert abs(life - datetime.timedelta(minutes=60)) < datetime.timedelta(seconds=1)
    assert mail.outbox == []

    # and the official uses it after their password
    _signed_in_with_password(client, official)
    assert client.post(_path(link)).url == SETUP
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=official)
    client.post(SETUP, {"otp_token": current_code(device)})
    assert Event.objects.get(action="user.two_factor_enabled").payload["enrolment"] == (
        "administrator"
    )


def test_only_a_platform_administrator_may_issue_a_link():
    official = make_member(Role.APPROVER, totp=False)
    colleague = make_member(Role.APPROVER)
    before = _rows()

    with pytest.raises(CommandError):
        call_command(
            "two_factor_enrolment", official.email, by=colleague.email, stdout=io.StringIO()
        )
    with pytest.raises(CommandError, match="No active account"):
        call_command("two_factor_enrolment", "nobody@example.org", stdout=io.StringIO())

    assert _rows() == before


def test_no_link_for_an_account_that_has_an_authenticator():
    official = make_member(Role.APPROVER)
    before = _rows()

    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor_enrolment_request(user=official)
    with pytest.raises(TwoFactorAlreadyEnabled):
        two_factor_enrolment_issue(user=official)

    assert _rows() == before


def test_asking_for_links_is_rate_limited(client, settings):
    # given an official allowed two links an hour
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "two_factor_enrolment.user": "2/hour"}
    official = make_member(Role.APPROVER, totp=False)
    _signed_in_with_password(client, official)
    for _ in range(2):
        assert client.post(ENROLMENT_LINK).status_code == 302
    before = _rows()

    # when they ask a third time
    response = client.post(ENROLMENT_LINK)

    # then it is refused and nothing is sent
    assert response.status_code == 429
    assert _rows() == before


def test_the_demo_officials_sign_in_with_their_authenticator_as_before(client):
    # given an official with a confirmed device (as every demo official has)
    official = make_member(Role.APPROVER)
    device = TOTPDevice.objects.get(user=official)

    # when they sign in with password and code
    step = client.post("/accounts/login/", {"username": official.email, "password": PASSWORD})
    done = client.post(step.url, {"otp_token": current_code(device)})

    # then no enrolment is asked for
    assert done.status_code == 302
    assert done.url == "/dashboard/"
    assert not TwoFactorEnrolment.objects.exists()
