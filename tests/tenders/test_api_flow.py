"""The whole tender flow through the API only: draft, approval, publication, questions,
amendment, closing; the public, the buyer's people and a supplier's robot (personal API token)
each see theirs."""

import pytest

from accounts.services import api_token_create
from audit.models import Event
from core import outbox
from core.clock import frozen_at
from core.models import OutboxMessage, OutboxStatus
from notifications.models import Notification
from notifications.services import NOTIFY_TOPIC
from tenders import services
from tenders.models import Release, Tender
from tests.factories import login
from tests.suppliers.factories import PDF, pdf, supplier_in_state

from .factories import CLARIFICATION_DEADLINE, DAY, OPENING_AT, SUBMISSION_DEADLINE, buyer_team
from .ocds_validation import codelist_errors, errors

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders"
JSON = "application/json"


def _ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json() if response.content else None


def _deliver_notifications():
    """Run the pending notification messages as the worker would."""
    for message in OutboxMessage.objects.filter(
        topic=NOTIFY_TOPIC, status=OutboxStatus.PENDING
    ).order_by("pk"):
        assert outbox.process(message.pk) is True


def test_a_tender_from_draft_to_closed_through_the_api(client, nothing_written):
    # given a buyer's team, and a verified supplier whose robot holds a personal API token
    team = buyer_team()
    supplier, representative, _reviewer = supplier_in_state("verified")
    _token, raw_token = api_token_create(
        actor=representative, name="Bid robot", expires_in_days=30, second_factor_verified=True
    )
    robot = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"}

    # when the officer (session with 2FA) drafts a two-lot tender with its items
    login(client, team.officer)
    draft = _ok(
        client.post(
            f"{API}/drafts/",
            {
                "buyer": team.buyer.pk,
                "reference": "RA-2029-017",
                "title": "Resurfacing of the Karaj-Chalus road",
                "title_fa": "بهسازی جاده کرج-چالوس",
                "description": "Milling and resurfacing of 42 km of road.",
                "procurement_method": "open",
                "main_category": "works",
                "cpv_code": "45233120-6",
                "estimated_value": {"amount": "125000000000.00", "currency": "IRR"},
                "document_fee": {"amount": "50", "currency": "EUR"},
            },
            content_type=JSON,
        ),
        201,
    )
    pk = draft["id"]
    first = _ok(
        client.post(
            f"{API}/{pk}/lots/",
            {
                "title": "Section 1",
                "estimated_value": {"amount": "60000000000.00", "currency": "IRR"},
                "bid_security": {"amount": "1200000000.00", "currency": "IRR"},
                "items": [{"description": "Asphalt milling", "quantity": "42000", "unit": "m2"}],
            },
            content_type=JSON,
        ),
        201,
    )
    second = _ok(
        client.post(
            f"{API}/{pk}/lots/",
            {
                "title": "Section 2",
                "estimated_value": {"amount": "65000000000.50", "currency": "IRR"},
            },
            content_type=JSON,
        ),
        201,
    )
    _ok(
        client.post(
            f"{API}/{pk}/lots/{second['id']}/items/",
            {"description": "Asphalt concrete", "quantity": "9500.5", "unit": "t"},
            content_type=JSON,
        ),
        201,
    )
    # ... sets its timeline, committees and approver, uploads a document, and submits it
    _ok(
        client.patch(
            f"{API}/{pk}/",
            {
                "clarification_deadline": CLARIFICATION_DEADLINE.isoformat(),
                "submission_deadline": SUBMISSION_DEADLINE.isoformat(),
                "opening_at": OPENING_AT.isoformat(),
                "opening_threshold": 2,
                "approver": team.approver.pk,
                "opening_committee": [user.pk for user in team.opening],
                "evaluation_committee": [user.pk for user in team.evaluation],
            },
            content_type=JSON,
        )
    )
    document = _ok(
        client.post(f"{API}/{pk}/documents/", {"title": "Specifications", "file": pdf("s.pdf")}),
        201,
    )
    submitted = _ok(client.post(f"{API}/{pk}/submit/"))

    # ... tries to approve it herself (refused, nothing written); the approver approves
    with nothing_written():
        own_approval = client.post(f"{API}/{pk}/approve/")
    login(client, team.approver)
    approved = _ok(client.post(f"{API}/{pk}/approve/"))

    # then the draft was built as sent, and only the approver could publish it
    assert [(lot["number"], lot["title"]) for lot in (first, second)] == [
        (1, "Section 1"),
        (2, "Section 2"),
    ]
    assert submitted["state"] == "awaiting_approval"
    assert own_approval.status_code == 403
    assert own_approval["Content-Type"] == "application/problem+json"
    assert own_approval.json()["code"] == "tender.four_eyes"
    assert approved["state"] == "published"
    tender = Tender.objects.get(pk=pk)
    assert (tender.state, tender.approver, tender.created_by) == (
        "published",
        team.approver,
        team.officer,
    )

    # when anyone reads the list, the notice and its OCDS record
    client.logout()
    listed = _ok(client.get(f"{API}/"))
    notice = _ok(client.get(f"{API}/{pk}/"))
    documents = _ok(client.get(f"{API}/{pk}/documents/"))
    package = _ok(client.get(notice["ocds_record_url"]))

    # then the published tender, its lots, items and document, and a valid record package
    assert [(t["id"], t["reference"], t["state"]) for t in listed["results"]] == [
        (pk, "RA-2029-017", "published")
    ]
    assert notice["published_at"] == "2029-06-01T12:30:00+03:30"
    assert notice["submission_deadline"] == "2029-07-06T12:30:00+03:30"
    assert notice["ocds_record_url"] == f"/api/v1/ocds/records/{tender.ocid}/"
    assert [
        (lot["number"], lot["title"], lot["estimated_value"], [i["unit"] for i in lot["items"]])
        for lot in notice["lots"]
    ] == [
        # the units as sent ("m2", "t"), stored as their UN/ECE Recommendation 20 codes
        (1, "Section 1", {"amount": "60000000000.00", "currency": "IRR"}, ["MTK"]),
        (2, "Section 2", {"amount": "65000000000.50", "currency": "IRR"}, ["TNE"]),
    ]
    assert [lot["bid_security"] for lot in notice["lots"]] == [
        {"amount": "1200000000.00", "currency": "IRR"},
        {"amount": "0.00", "currency": "IRR"},
    ]
    assert (notice["estimated_value"], notice["document_fee"]) == (
        {"amount": "125000000000.00", "currency": "IRR"},
        {"amount": "50.00", "currency": "EUR"},
    )
    # the open data's amounts are JSON numbers, written exactly
    body = client.get(notice["ocds_record_url"]).content.decode()
    assert '"value":{"amount":125000000000.00,"currency":"IRR"}' in body
    assert '"value":{"amount":65000000000.50,"currency":"IRR"}' in body
    assert documents == [document]
    assert client.get(document["download_url"]).getvalue() == PDF
    assert errors(package, "record-package-schema.json") == []
    assert [record["ocid"] for record in package["records"]] == [tender.ocid]
    assert codelist_errors(package["records"][0]["compiledRelease"]) == []

    # when the supplier's robot follows the tender and asks; the officer answers
    client.logout()
    _ok(client.post(f"{API}/{pk}/follow/", **robot), 204)
    asked = _ok(
        client.post(
            f"{API}/{pk}/clarifications/",
            {"supplier": supplier.pk, "question": "Is night work allowed?"},
            content_type=JSON,
            **robot,
        ),
        201,
    )
    login(client, team.officer)
    _ok(client.post(f"{API}/{pk}/clarifications/1/answer/", {"answer": "Yes, 22:00-06:00."}))
    client.logout()
    following = _ok(client.get(f"{API}/mine/following/", **robot))
    questions = _ok(client.get(f"{API}/mine/questions/", **robot))

    # then the robot reads the answer to its company's question
    assert asked["number"] == 1
    assert [t["id"] for t in following["results"]] == [pk]
    assert [
        (q["tender"]["id"], q["number"], q["question"], q["answer"], q["answered_at"])
        for q in questions["results"]
    ] == [(pk, 1, "Is night work allowed?", "Yes, 22:00-06:00.", "2029-06-01T12:30:00+03:30")]

    # when the officer extends the deadline by a week
    login(client, team.officer)
    amendment = _ok(
        client.post(
            f"{API}/{pk}/amendments/",
            {
                "summary": "Deadline extended by a week.",
                "changes": {
                    "submission_deadline": (SUBMISSION_DEADLINE + 7 * DAY).isoformat(),
                    "opening_at": (OPENING_AT + 7 * DAY).isoformat(),
                },
                "notice": "Bidders have one more week.",
            },
            content_type=JSON,
        ),
        201,
    )
    _deliver_notifications()

    # then the amendment is public, and the follower was told of the answer and the amendment
    assert amendment["changes"] == {
        "submission_deadline": {
            "from": "2029-07-06T09:00:00+00:00",
            "to": "2029-07-13T09:00:00+00:00",
        },
        "opening_at": {"from": "2029-07-06T10:00:00+00:00", "to": "2029-07-13T10:00:00+00:00"},
    }
    assert list(
        Notification.objects.filter(recipient=representative, kind__startswith="tender.")
        .order_by("pk")
        .values_list("kind", "url")
    ) == [
        ("tender.question_answered", f"/tenders/{pk}/"),
        ("tender.amended", f"/tenders/{pk}/"),
    ]

    # when the platform's sweep runs before, then at, the new deadline
    with frozen_at(SUBMISSION_DEADLINE + 7 * DAY - DAY):
        closed_early = services.tender_close_due()
    with frozen_at(SUBMISSION_DEADLINE + 7 * DAY):
        closed = services.tender_close_due()
    client.logout()
    final = _ok(client.get(f"{API}/{pk}/"))

    # then it closed exactly once, at the extended deadline
    assert (closed_early, closed) == (0, 1)
    assert (final["state"], final["submission_deadline"]) == (
        "closed",
        "2029-07-13T12:30:00+03:30",
    )
    assert list(Release.objects.filter(tender=tender).order_by("pk").values_list("tag")) == [
        ("tender",),
        ("tenderUpdate",),  # the answer
        ("tenderAmendment",),
        ("tenderUpdate",),  # closed
    ]
    # ... and the tender's audit trail is exactly the flow, in order, by the right people
    assert list(
        Event.objects.filter(object_type="tenders.tender", object_id=str(pk))
        .order_by("seq")
        .values_list("action", "actor__user")
    ) == [
        ("tender.created", team.officer.pk),
        ("tender.lot_added", team.officer.pk),
        ("tender.lot_added", team.officer.pk),
        ("tender.item_added", team.officer.pk),
        ("tender.updated", team.officer.pk),
        # the committees set by that update, one event per member (3 openers, 1 evaluator)
        ("tender.committee_member_added", team.officer.pk),
        ("tender.committee_member_added", team.officer.pk),
        ("tender.committee_member_added", team.officer.pk),
        ("tender.committee_member_added", team.officer.pk),
        ("tender.document_uploaded", team.officer.pk),
        ("tender.submitted_for_approval", team.officer.pk),
        ("tender.published", team.approver.pk),
        # following is the follower's business, not the procurement record: no event
        ("tender.clarification_asked", representative.pk),
        ("tender.clarification_answered", team.officer.pk),
        ("tender.amended", team.officer.pk),
        ("tender.closed", None),
    ]
