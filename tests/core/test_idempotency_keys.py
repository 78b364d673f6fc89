"""`Idempotency-Key` on the API: a retried request acts once (core.idempotency)."""

import datetime
import threading

import pytest
from django.db import connection
from django.test import Client

from audit.models import Event
from core import idempotency
from core.models import IdempotencyKey, OutboxMessage
from suppliers.models import Supplier
from tenders.models import Clarification, Tender
from tests.factories import login
from tests.suppliers.factories import supplier_in_state
from tests.tenders.factories import buyer_team, tender_in_state

PROBLEM = "application/problem+json"


def _written():
    return Event.objects.count(), OutboxMessage.objects.count()


def _draft(team, reference="RA-2029-17"):
    return {
        "buyer": team.buyer.pk,
        "reference": reference,
        "title": "Resurfacing of the Karaj-Chalus road",
        "procurement_method": "open",
        "main_category": "works",
        "cpv_code": "45233120-6",
        "estimated_value": {"amount": "125000000000.00", "currency": "IRR"},
    }


@pytest.fixture
def officer(client):
    team = buyer_team()
    login(client, team.officer)
    return client, team


def _create(client, body, key):
    return client.post(
        "/api/v1/tenders/drafts/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


@pytest.mark.django_db
def test_a_retried_tender_creation_replays_the_first_answer_and_creates_one_tender(officer):
    client, team = officer
    before = _written()

    first = _create(client, _draft(team), "7c0e6a52-create-1")
    retry = _create(client, _draft(team), "7c0e6a52-create-1")

    assert first.status_code == retry.status_code == 201
    assert retry.content == first.content
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    tender = Tender.objects.get()
    assert first.json()["id"] == tender.pk
    assert Event.objects.count() == before[0] + 1
    assert Event.objects.filter(action="tender.created").count() == 1
    assert OutboxMessage.objects.count() == before[1]


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_with_422_and_nothing_changes(officer):
    client, team = officer
    _create(client, _draft(team), "key-1")
    before = (_written(), Tender.objects.count())

    reused = _create(client, _draft(team, reference="RA-2029-18"), "key-1")

    assert reused.status_code == 422
    assert reused["Content-Type"] == PROBLEM
    body = reused.json()
    assert (body["code"], body["title"]) == (
        "api.idempotency_key_reused",
        "This Idempotency-Key was already used for a different request.",
    )
    assert (_written(), Tender.objects.count()) == before
    assert list(Tender.objects.values_list("reference", flat=True)) == ["RA-2029-17"]


@pytest.mark.django_db
def test_a_refused_request_keeps_no_answer_so_its_corrected_retry_runs(officer):
    client, team = officer
    before = _written()

    refused = _create(client, {**_draft(team), "cpv_code": "45233120-5"}, "key-2")
    assert (refused.status_code, refused.json()["code"]) == (422, "tender.unknown_cpv_code")
    assert _written() == before
    assert IdempotencyKey.objects.count() == 0

    retried = _create(client, _draft(team), "key-2")
    assert retried.status_code == 201
    assert Tender.objects.count() == 1


@pytest.mark.django_db
def test_keys_are_kept_per_user(officer):
    client, team = officer
    _create(client, _draft(team), "shared-key")
    other = Client()
    login(other, _second_officer(team))

    second = _create(other, _draft(team, reference="RA-2029-19"), "shared-key")

    assert second.status_code == 201
    assert sorted(Tender.objects.values_list("reference", flat=True)) == [
        "RA-2029-17",
        "RA-2029-19",
    ]


def _second_officer(team):
    from accounts.models import Role
    from tests.factories import make_member

    return make_member(Role.PROCUREMENT_OFFICER, organisation=team.buyer)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "a" * 256, "spaces are not allowed", "é"])
def test_a_malformed_key_is_a_400_problem_and_nothing_is_done(officer, key):
    client, team = officer
    before = _written()

    response = _create(client, _draft(team), key)

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "api.idempotency_key_invalid"
    assert (_written(), Tender.objects.count()) == (before, 0)


@pytest.mark.django_db
def test_a_retried_question_is_asked_once(client):
    tender, _team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    login(client, admin)
    body = {"supplier": supplier.pk, "question": "Is night work allowed?"}

    answers = [
        client.post(
            f"/api/v1/tenders/{tender.pk}/clarifications/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="ask-1",
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Clarification.objects.count() == 1
    assert Event.objects.filter(action="tender.clarification_asked").count() == 1


@pytest.mark.django_db
def test_a_retried_verification_decides_once(client):
    supplier, _admin, reviewer = supplier_in_state("submitted")
    login(client, reviewer)
    before = _written()

    answers = [
        client.post(
            f"/api/v1/supplier-review/{supplier.pk}/verify/",
            {"note": "Checked"},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="verify-1",
        )
        for _ in range(2)
    ]

    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].content == answers[1].content
    assert Supplier.objects.get(pk=supplier.pk).state == "verified"
    assert _written() == (before[0] + 1, before[1] + 1)


@pytest.mark.django_db
def test_the_sweep_forgets_old_keys(settings):
    settings.IDEMPOTENCY_KEY_MAX_AGE = 3600
    now = datetime.datetime(2029, 6, 1, 9, 0, tzinfo=datetime.UTC)
    IdempotencyKey.objects.create(
        user_id=1, key="old", fingerprint="x", created_at=now - datetime.timedelta(hours=2)
    )
    IdempotencyKey.objects.create(user_id=1, key="new", fingerprint="x", created_at=now)

    assert idempotency.sweep(now) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_the_schema_documents_the_header_on_the_creating_posts():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    create = schema["paths"]["/api/v1/tenders/drafts/"]["post"]

    assert {"in": "header", "name": "Idempotency-Key"}.items() <= create["parameters"][0].items()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_retries_at_the_same_moment_create_one_tender():
    team = buyer_team()
    clients = [Client(), Client()]
    for each in clients:
        login(each, team.officer)
    start = threading.Barrier(2)
    answers, errors = [], []

    def send(each):
        try:
            start.wait(timeout=30)
            answers.append(_create(each, _draft(team), "race-1"))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(each,)) for each in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert Tender.objects.count() == 1
    assert Event.objects.filter(action="tender.created").count() == 1
    statuses = sorted(a.status_code for a in answers)
    assert statuses in ([201, 201], [201, 409])
