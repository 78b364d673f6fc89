"""Exports of the filtered trail: streamed, exact, and verifiable again."""

import json

import pytest
from django.urls import reverse

import panjere_verify
from accounts.models import Role
from audit.services import checkpoint_take
from audit.verification import CheckpointCopy, verify_records
from tests.factories import login, make_member

HEADER = (
    "seq,recorded_at,actor,organisation_id,role,action,object_type,"
    "object_id,object_repr,payload,reason,prev_hash,hash,What happened,Object name\r\n"
)


@pytest.fixture
def auditor_client(client):
    return login(client, make_member(Role.AUDITOR))


def _export(client, **query):
    response = client.get(reverse("audit:export"), query)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content).decode()


def test_csv_export_holds_every_hashed_field_of_the_filtered_events(trail, auditor_client):
    # when the events about the buying organisation are exported as CSV
    response, text = _export(
        auditor_client,
        format="csv",
        object_type="accounts.organisation",
        object_id=trail.buyer.pk,
        page=3,
    )

    # then the file holds exactly events 1 and 3, oldest first, payload as canonical JSON
    one, three = trail.events[0], trail.events[2]
    buyer = trail.buyer.pk
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="audit-events.csv"'
    first_row = (
        f"1,2026-03-21T06:30:00.000000Z,{trail.officer.audit_person.pseudonym},{buyer},"
        f"procurement_officer,tender.published,accounts.organisation,{buyer},Ministry of Roads,"
        '"{""lots"":2,""title"":""Road 7""}",Approved by the board,'
        f"{one.prev_hash},{one.hash},Tender published,Ministry of Roads\r\n"
    )
    third_row = (
        f"3,2026-03-21T06:32:00.000000Z,,,,tender.closed,accounts.organisation,{buyer},"
        f'Ministry of Roads,"{{""bids"":1}}",,{three.prev_hash},{three.hash},'
        "Tender closed for bids,Ministry of Roads\r\n"
    )
    assert text == "\ufeff" + HEADER + first_row + third_row


def test_json_export_of_the_whole_trail_verifies_again(trail, auditor_client):
    # when the whole trail is exported as JSON
    response, text = _export(auditor_client, format="json")

    # then it is an array of every event with every hashed field and its hash
    records = json.loads(text)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="audit-events.json"'
    assert [record["seq"] for record in records] == [1, 2, 3, 4, 5]
    assert records[0] == {
        "seq": 1,
        "recorded_at": "2026-03-21T06:30:00.000000Z",
        "actor": trail.officer.audit_person.pseudonym,
        "organisation_id": trail.buyer.pk,
        "role": "procurement_officer",
        "action": "tender.published",
        "object_type": "accounts.organisation",
        "object_id": str(trail.buyer.pk),
        "object_repr": "Ministry of Roads",
        "payload": {"lots": 2, "title": "Road 7"},
        "reason": "Approved by the board",
        "prev_hash": "0" * 64,
        "hash": trail.events[0].hash,
    }
    # and the exported chain verifies on its own, up to the last hash
    report = verify_records(records)
    assert (report.intact, report.count, report.head) == (True, 5, trail.events[-1].hash)


def test_an_exported_event_changed_afterwards_fails_verification(trail, auditor_client):
    _, text = _export(auditor_client, format="json")
    records = json.loads(text)

    records[3]["payload"] = {"forged": True}

    report = verify_records(records)
    assert (report.intact, report.broken_at, report.problem) == (False, 4, "altered")


def test_a_filtered_json_export_verifies_event_by_event(trail, auditor_client):
    _, text = _export(auditor_client, format="json", actor="officer@")
    records = json.loads(text)

    assert [record["seq"] for record in records] == [1, 4]
    assert verify_records(records).broken_at == 2  # not a whole chain: event 2 is absent
    report = verify_records(records, contiguous=False)
    assert (report.intact, report.count) == (True, 2)


def test_an_export_with_nothing_matching_is_empty(trail, auditor_client):
    assert _export(auditor_client, format="json", action="nothing.matches")[1] == "[\n\n]\n"
    assert _export(auditor_client, format="csv", action="nothing.matches")[1] == "\ufeff" + HEADER


@pytest.mark.parametrize(
    "query",
    [{"format": "xml"}, {"format": "csv", "from": "not-a-moment"}],
    ids=["unknown-format", "invalid-filter"],
)
def test_a_bad_export_request_is_refused(trail, auditor_client, query):
    response = auditor_client.get(reverse("audit:export"), query)

    assert response.status_code == 400
    assert not response.streaming


def test_an_auditor_exports_the_trail_and_panjere_verify_checks_it(trail, client):
    # given a signed checkpoint over the trail, as anyone can download it
    checkpoint = CheckpointCopy.from_model(checkpoint_take()).as_json()
    keys = client.get("/api/v1/audit/keys/").json()

    # when an auditor downloads the whole trail as JSON Lines through the API
    login(client, make_member(Role.AUDITOR))
    response = client.get("/api/v1/audit/export/")
    lines = b"".join(response.streaming_content).decode().splitlines()

    # then the standalone verifier, which shares no code with the platform, passes it
    assert response["Content-Type"] == "application/jsonl; charset=utf-8"
    report = panjere_verify.verify_trail(lines, [checkpoint], keys)
    assert report.ok, report.line
    assert report.events == 5
    # and an event altered in the download fails at exactly that event
    forged = json.loads(lines[2])
    forged["reason"] = "backdated"
    lines[2] = json.dumps(forged)
    report = panjere_verify.verify_trail(lines, [checkpoint], keys)
    assert (report.ok, report.seq, report.code) == (False, 3, "altered")


@pytest.mark.parametrize("role", [None, Role.PROCUREMENT_OFFICER, Role.SUPPLIER_ADMIN])
def test_only_auditors_export_through_the_api(trail, client, role):
    if role is not None:
        login(client, make_member(role))

    response = client.get("/api/v1/audit/export/")

    assert response.status_code == (401 if role is None else 403)
    assert response["Content-Type"] == "application/problem+json"
