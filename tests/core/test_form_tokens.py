"""A form sent twice acts once: the one-time form token (core.formtokens)."""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core import formtokens
from core.models import OutboxMessage, UsedFormToken
from suppliers.models import Supplier
from tenders.models import Clarification, Tender
from tests.factories import login, make_member
from tests.suppliers.factories import supplier_in_state
from tests.tenders.factories import buyer_team, tender_in_state

TOKEN = re.compile(r'<input type="hidden" name="form_token" value="([^"]+)">')

NEW_TENDER = {
    "reference": "RA-2029-17",
    "title": "Resurfacing of the Karaj-Chalus road",
    "title_fa": "",
    "description": "",
    "description_fa": "",
    "procurement_method": "open",
    "main_category": "works",
    "cpv_code": "45233120-6",
    "estimated_value_amount": "125000000000",
    "estimated_value_currency": "IRR",
    "document_fee_amount": "",
    "document_fee_currency": "IRR",
}


def _token(client, url, form_id=None) -> str:
    html = client.get(url).content.decode()
    if form_id is not None:
        html = html[html.index(f'id="{form_id}"') :]
    return TOKEN.search(html).group(1)


def _written():
    return Event.objects.count(), OutboxMessage.objects.count()


@pytest.fixture
def asking(client):
    tender, _team = tender_in_state("published")
    supplier, _admin, _reviewer = supplier_in_state("verified")
    user = make_member(Role.BIDDER, organisation=supplier.organisation)
    login(client, user)
    return client, tender, supplier


@pytest.mark.django_db
def test_a_question_sent_twice_is_asked_once_and_the_second_goes_where_the_first_went(asking):
    client, tender, supplier = asking
    token = _token(client, f"/tenders/{tender.pk}/", "ask-form")
    data = {"supplier": supplier.pk, "question": "Which asphalt grade?", "form_token": token}
    events_before = Event.objects.count()

    # when the form is sent twice (a double click, a reload)
    first = client.post(reverse("tenders:ask", kwargs={"pk": tender.pk}), data)
    second = client.post(reverse("tenders:ask", kwargs={"pk": tender.pk}), data)

    # then one question, one audit event, and both answers lead to it
    assert Clarification.objects.count() == 1
    assert Event.objects.count() == events_before + 1
    assert Event.objects.order_by("-seq").first().action == "tender.clarification_asked"
    assert (first.status_code, first["Location"]) == (302, f"/tenders/{tender.pk}/#clarifications")
    assert (second.status_code, second["Location"]) == (
        302,
        f"/tenders/{tender.pk}/#clarifications",
    )
    shown = client.get(second["Location"])
    assert [str(m) for m in shown.context["messages"]] == [
        "Your question (number 1) was sent to the buyer. The answer will be published on this "
        "notice.",
        "This form had already been sent; it was not sent again.",
    ]


@pytest.mark.django_db
def test_a_new_tender_sent_twice_is_created_once(client):
    team = buyer_team()
    login(client, team.officer)
    token = _token(client, reverse("tender_admin:new"))
    data = {**NEW_TENDER, "buyer": team.buyer.pk, "form_token": token}

    first = client.post(reverse("tender_admin:new"), data)
    second = client.post(reverse("tender_admin:new"), data)

    tender = Tender.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/buyer/tenders/{tender.pk}/lots/"
    assert list(
        Event.objects.filter(action="tender.created").values_list("object_id", flat=True)
    ) == [str(tender.pk)]


@pytest.mark.django_db
def test_a_verification_decision_sent_twice_is_decided_once(client):
    supplier, _admin, reviewer = supplier_in_state("submitted")
    login(client, reviewer)
    page = f"/suppliers/review/{supplier.pk}/"
    token = _token(client, page, "decision-verify")
    data = {"note": "Checked against the companies registry", "form_token": token}
    before = _written()

    first = client.post(f"{page}verify/", data)
    second = client.post(f"{page}verify/", data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == page
    assert Supplier.objects.get(pk=supplier.pk).state == "verified"
    assert _written() == (before[0] + 1, before[1] + 1)
    assert Event.objects.filter(action="supplier.verified").count() == 1


@pytest.mark.django_db
def test_a_refused_form_can_be_corrected_and_sent_with_its_token(asking):
    client, tender, supplier = asking
    token = _token(client, f"/tenders/{tender.pk}/", "ask-form")
    url = reverse("tenders:ask", kwargs={"pk": tender.pk})
    before = _written()

    # when the first try is a form error (no question)
    refused = client.post(url, {"supplier": supplier.pk, "question": "", "form_token": token})

    # then nothing is written and the token is not spent
    assert refused.status_code == 200
    assert refused.context["ask_form"].errors == {"question": ["This field is required."]}
    assert _written() == before
    assert UsedFormToken.objects.count() == 0
    # and the corrected form is accepted
    accepted = client.post(
        url, {"supplier": supplier.pk, "question": "May we?", "form_token": token}
    )
    assert accepted.status_code == 302
    assert list(Clarification.objects.values_list("question", flat=True)) == ["May we?"]


@pytest.mark.django_db
@pytest.mark.parametrize("tamper", ["someone-else", "altered", "expired"])
def test_a_token_altered_expired_or_of_someone_else_is_refused_and_nothing_done(
    asking, settings, tamper
):
    client, tender, supplier = asking
    token = _token(client, f"/tenders/{tender.pk}/", "ask-form")
    if tamper == "someone-else":
        other = make_member(Role.BIDDER, organisation=supplier.organisation)
        login(client, other)
    elif tamper == "altered":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        settings.FORM_TOKEN_MAX_AGE = -1
    before = _written()

    response = client.post(
        reverse("tenders:ask", kwargs={"pk": tender.pk}),
        {"supplier": supplier.pk, "question": "Which asphalt grade?", "form_token": token},
    )

    assert response.status_code == 400
    assert "This form was not sent" in response.content.decode()
    assert Clarification.objects.count() == 0
    assert _written() == before
    assert UsedFormToken.objects.count() == 0


@pytest.mark.django_db
def test_a_second_submission_while_the_first_is_handled_is_told_to_wait(asking):
    client, tender, supplier = asking
    token = _token(client, f"/tenders/{tender.pk}/", "ask-form")
    # the first submission has claimed the token and is still running
    UsedFormToken.objects.create(nonce=formtokens.read(_request_of(client), token))
    before = _written()

    response = client.post(
        reverse("tenders:ask", kwargs={"pk": tender.pk}),
        {"supplier": supplier.pk, "question": "Which asphalt grade?", "form_token": token},
    )

    assert response.status_code == 409
    assert "This form has already been sent" in response.content.decode()
    assert Clarification.objects.count() == 0
    assert _written() == before


def _request_of(client):
    """A request carrying the client's signed-in user, to read a token as the server would."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return request


@pytest.mark.django_db
def test_the_sweep_forgets_tokens_older_than_their_maximum_age(settings):
    settings.FORM_TOKEN_MAX_AGE = 3600
    now = datetime.datetime(2029, 6, 1, 9, 0, tzinfo=datetime.UTC)
    UsedFormToken.objects.create(nonce="old", created_at=now - datetime.timedelta(seconds=3601))
    UsedFormToken.objects.create(nonce="recent", created_at=now - datetime.timedelta(seconds=60))

    assert formtokens.sweep(now) == 1
    assert list(UsedFormToken.objects.values_list("nonce", flat=True)) == ["recent"]


@pytest.mark.django_db
def test_every_form_that_creates_or_decides_carries_a_token(asking):
    client, tender, _supplier = asking

    html = client.get(f"/tenders/{tender.pk}/").content.decode()

    ask_form = html[
        html.index('id="ask-form"') : html.index("</form>", html.index('id="ask-form"'))
    ]
    assert len(TOKEN.findall(ask_form)) == 1
    assert '<script src="/static/js/submit-once.js" defer></script>' in html


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_submissions_of_one_form_at_the_same_moment_ask_one_question():
    # given a bidder's notice page with its form token, and two connections
    tender, _team = tender_in_state("published")
    supplier, _admin, _reviewer = supplier_in_state("verified")
    user = make_member(Role.BIDDER, organisation=supplier.organisation)
    clients = [Client(), Client()]
    for each in clients:
        login(each, user)
    token = _token(clients[0], f"/tenders/{tender.pk}/", "ask-form")
    data = {"supplier": supplier.pk, "question": "Which asphalt grade?", "form_token": token}
    url = reverse("tenders:ask", kwargs={"pk": tender.pk})
    start = threading.Barrier(2)
    statuses, errors = [], []

    def send(each):
        try:
            start.wait(timeout=30)
            statuses.append(each.post(url, data).status_code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]

    # when both send it at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then one question is asked, and the other submission is told so
    assert errors == []
    assert Clarification.objects.count() == 1
    assert Event.objects.filter(action="tender.clarification_asked").count() == 1
    assert sorted(statuses) in ([302, 302], [302, 409])


@pytest.mark.django_db
def test_an_api_token_form_sent_twice_makes_one_token_and_shows_it_once(client):
    from accounts.models import ApiToken

    user = make_member(Role.BIDDER)
    login(client, user)
    token = _token(client, reverse("accounts:tokens"))
    data = {"name": "export", "expires_in_days": 30, "form_token": token}

    first = client.post(reverse("accounts:tokens"), data)
    second = client.post(reverse("accounts:tokens"), data)

    assert first.status_code == 200
    assert first.context["raw_token"]
    assert (second.status_code, second["Location"]) == (302, reverse("accounts:tokens"))
    assert ApiToken.objects.count() == 1
    assert Event.objects.filter(action="api_token.created").count() == 1
