"""GET /api/v1/audit/events/: the trail, filtered and paginated, for auditors only."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from audit.models import Event
from core.models import OutboxMessage
from tests.factories import login, make_member

URL = "/api/v1/audit/events/"
ALLOWED = [Role.AUDITOR, Role.PLATFORM_ADMIN]
REFUSED = [role for role in Role if role not in ALLOWED]


@pytest.fixture
def auditor_client(client):
    return login(client, make_member(Role.AUDITOR))


def test_an_auditor_lists_every_event_with_its_hashed_fields(trail, auditor_client):
    response = auditor_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["next"], body["previous"]) == (5, None, None)
    assert [event["seq"] for event in body["results"]] == [1, 2, 3, 4, 5]
    assert body["results"][1] == {
        "seq": 2,
        "recorded_at": "2026-03-21T06:31:00.000000Z",
        "actor": trail.supplier.audit_person.pseudonym,
        "actor_name": trail.supplier.name,
        "organisation_id": trail.seller.pk,
        "role": "supplier_admin",
        "action": "bid.submitted",
        "object_type": "accounts.organisation",
        "object_id": str(trail.seller.pk),
        "object_repr": trail.seller.name,
        "payload": {"envelopes": 2},
        "reason": "",
        "prev_hash": trail.events[0].hash,
        "hash": trail.events[1].hash,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param(lambda t: {"organisation": t.buyer.pk}, [1, 4], id="organisation"),
        pytest.param(lambda t: {"actor": "sales@"}, [2], id="actor"),
        pytest.param(lambda t: {"action": "tender."}, [1, 3], id="action-prefix"),
        pytest.param(lambda t: {"action": "tender.closed"}, [3], id="action-exact"),
        pytest.param(
            lambda t: {"object_type": "accounts.user", "object_id": t.officer.pk},
            [4],
            id="object",
        ),
        pytest.param(
            lambda t: {"from": "2026-03-21T06:31:00Z", "to": "2026-03-21T06:33:00Z"},
            [2, 3],
            id="time-range",
        ),
    ],
)
def test_the_api_filters_like_the_pages(trail, auditor_client, query, expected):
    response = auditor_client.get(URL, query(trail))

    assert response.status_code == 200
    assert [event["seq"] for event in response.json()["results"]] == expected


def test_the_api_is_paginated(trail, auditor_client):
    response = auditor_client.get(URL, {"page_size": 2, "page": 2})

    body = response.json()
    assert body["count"] == 5
    assert [event["seq"] for event in body["results"]] == [3, 4]
    assert body["next"] == "http://testserver/api/v1/audit/events/?page=3&page_size=2"


def test_an_invalid_filter_is_a_problem(trail, auditor_client):
    response = auditor_client.get(URL, {"organisation": "abc"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "api.invalid"
    assert list(body["errors"]) == ["organisation"]


def _counts():
    return Event.objects.count(), OutboxMessage.objects.count()


@pytest.mark.parametrize("role", ALLOWED)
def test_auditors_and_platform_administrators_may_list(trail, client, role):
    login(client, make_member(role))
    before = _counts()

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert _counts() == before


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_get_a_403_problem(trail, client, role):
    login(client, make_member(role))
    before = _counts()

    response = client.get(URL)

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "api.permission_denied"
    assert trail.events[0].hash not in response.content.decode()
    assert _counts() == before


def test_anonymous_clients_get_a_401_problem(trail, client):
    before = _counts()

    response = client.get(URL)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "api.not_authenticated"
    assert _counts() == before


def test_the_endpoint_is_documented_with_its_filters():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"][URL]["get"]
    assert operation["operationId"] == "audit_events_list"
    assert {parameter["name"] for parameter in operation["parameters"]} == {
        "organisation",
        "actor",
        "action",
        "object_type",
        "object_id",
        "from",
        "to",
        "page",
        "page_size",
    }
    assert {"200", "400", "401", "403"} <= set(operation["responses"])
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert page == "#/components/schemas/PaginatedAuditEventList"
    assert set(schema["components"]["schemas"]["AuditEvent"]["properties"]) == {
        "seq",
        "recorded_at",
        "actor",
        "actor_name",
        "organisation_id",
        "role",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "payload",
        "reason",
        "prev_hash",
        "hash",
    }
