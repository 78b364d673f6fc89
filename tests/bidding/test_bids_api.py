"""The bids API: multipart envelopes with an Idempotency-Key, receipts, withdrawal, verification."""

import datetime
import hashlib

import pytest
from rest_framework.test import APIClient

from bidding.models import Bid
from core.clock import frozen_at
from panjere_client.receipts import verify_receipt
from tests.bidding.factories import SUBMISSION_DEADLINE, bidder, published, seal, upload
from tests.factories import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]


def url(tender, lot):
    return f"/api/v1/tenders/{tender.ocid}/lots/{lot.number}/bids/"


def client_of(user):
    return login(APIClient(), user)


def post(client, tender, lot, data, key="key-1", kind="single"):
    return client.post(
        url(tender, lot), {kind: upload(data)}, format="multipart", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_supplier_submits_over_the_api_and_gets_its_signed_receipt(tender_keys):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    client = client_of(admin)
    response = post(client, tender, lot, data)
    assert response.status_code == 201
    bid = Bid.objects.get()
    body = response.json()
    assert {key: body[key] for key in body if key != "receipt"} == {
        "id": bid.pk,
        "tender": tender.ocid,
        "lot": 1,
        "supplier": supplier.pk,
        "version": 1,
        "state": "submitted",
        "submitted_at": "2029-06-01T12:30:00+03:30",
        "withdrawn_at": None,
        "confirmation_requested": False,
        "envelopes": [
            {"kind": "single", "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        ],
    }
    keys = client.get("/api/v1/audit/keys/").json()
    receipt = verify_receipt(body["receipt"], keys)
    receipt.check_envelope(kind="single", sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    # a retry of the same upload answers 200 with the same bid
    again = post(client, tender, lot, data)
    assert (again.status_code, again.json()["id"], Bid.objects.count()) == (200, bid.pk, 1)
    # the receipt, exactly as issued, and the lists
    assert client.get(f"/api/v1/bids/{bid.pk}/receipt/").json() == body["receipt"]
    assert [b["id"] for b in client.get(url(tender, lot)).json()] == [bid.pk]
    assert [b["id"] for b in client.get("/api/v1/bids/").json()] == [bid.pk]


def test_a_malformed_envelope_is_a_problem_and_nothing_is_kept(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)[:-10]
    with nothing_written():
        response = post(client_of(admin), tender, lot, data)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["params"]) == (
        "bid.envelope_rejected",
        {"kind": "single", "reason": "EnvelopeTruncated"},
    )


def test_an_envelope_over_the_limit_is_refused_while_it_streams(
    tender_keys, nothing_written, settings
):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    settings.BIDDING_ENVELOPE_MAX_BYTES = 1000
    with nothing_written():
        response = post(client_of(admin), tender, lot, data)
    assert response.status_code == 413
    assert response.json()["code"] == "bid.envelope_too_large"


def test_a_late_bid_is_refused_with_a_clear_problem(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    with nothing_written(), frozen_at(SUBMISSION_DEADLINE + datetime.timedelta(milliseconds=1)):
        response = post(client_of(admin), tender, lot, data)
    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["detail"]) == (
        "bid.deadline_passed",
        "The submission deadline passed at 2029-07-06T09:00:00+00:00.",
    )


def test_without_an_idempotency_key_nothing_is_accepted(tender_keys, nothing_written):
    tender, lot, _team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    with nothing_written():
        response = client_of(admin).post(url(tender, lot), {"single": upload(data)})
    assert (response.status_code, response.json()["code"]) == (
        400,
        "bid.invalid_idempotency_key",
    )


def test_anonymous_and_other_companies_cannot_submit_or_see(tender_keys, nothing_written):
    tender, lot, team = published()
    supplier, admin = bidder()
    data = seal(tender_keys, tender, lot, supplier)
    bid_id = post(client_of(admin), tender, lot, data).json()["id"]
    _other, stranger = bidder()
    with nothing_written():
        assert post(APIClient(), tender, lot, data, key="x").status_code == 401
        assert post(client_of(team.officer), tender, lot, data, key="y").status_code == 403
        assert client_of(stranger).get(f"/api/v1/bids/{bid_id}/").status_code == 404
        assert client_of(stranger).post(f"/api/v1/bids/{bid_id}/withdraw/").status_code == 404
        assert client_of(stranger).get(url(tender, lot)).json() == []


def test_withdrawal_over_the_api(tender_keys):
    tender, lot, _team = published()
    supplier, admin = bidder()
    client = client_of(admin)
    bid_id = post(client, tender, lot, seal(tender_keys, tender, lot, supplier)).json()["id"]
    response = client.post(f"/api/v1/bids/{bid_id}/withdraw/")
    assert (response.status_code, response.json()["state"]) == (200, "withdrawn")
    assert response.json()["withdrawn_at"] == "2029-06-01T12:30:00+03:30"


def test_anyone_can_verify_a_receipt(tender_keys):
    tender, lot, _team = published()
    supplier, admin = bidder()
    receipt = post(client_of(admin), tender, lot, seal(tender_keys, tender, lot, supplier)).json()[
        "receipt"
    ]
    public = APIClient()
    verify = "/api/v1/bids/receipts/verify/"
    assert public.post(verify, receipt, format="json").json() == {
        "valid": True,
        "reason": "",
        "detail": "",
    }
    forged = {**receipt, "bid_version": 2}
    answer = public.post(verify, forged, format="json").json()
    assert (answer["valid"], answer["reason"]) == (False, "BadSignature")
    answer = public.post(verify, {"type": "nonsense"}, format="json").json()
    assert (answer["valid"], answer["reason"]) == (False, "MalformedReceipt")
