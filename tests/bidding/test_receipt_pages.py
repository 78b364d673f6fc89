"""The receipt as a page, a PDF and a JSON download; the public page that checks a receipt."""

import json

import pytest
from django.test import Client

from bidding import services
from tests.bidding.factories import bidder, published, seal, upload
from tests.factories import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]


@pytest.fixture
def bid(tender_keys):
    tender, lot, _team = published()
    supplier, admin = bidder()
    submission = services.bid_submit(
        actor=admin,
        tender=tender,
        lot=lot,
        supplier=supplier,
        envelopes={"single": upload(seal(tender_keys, tender, lot, supplier))},
        idempotency_key="k",
    )
    return submission.bid, admin


def test_the_receipt_page_shows_what_was_received_and_when(bid):
    bid, admin = bid
    client = login(Client(), admin)
    response = client.get(f"/bids/{bid.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    document = bid.receipt.document
    for text in (
        document["received_at"],
        document["envelopes"][0]["sha256"],
        f'<bdi dir="ltr">{document["audit_seq"]}</bdi>',
        bid.tender.reference,
    ):
        assert text in page
    assert client.get("/bids/").status_code == 200
    downloaded = client.get(f"/bids/{bid.pk}/receipt.json")
    assert json.loads(downloaded.content) == document


def test_the_receipt_pdf_holds_the_receipt(bid):
    bid, admin = bid
    response = login(Client(), admin).get(f"/bids/{bid.pk}/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response["Content-Disposition"] == f'attachment; filename="receipt-bid-{bid.pk}.pdf"'


def test_the_receipt_pdf_in_persian(bid, settings):
    bid, admin = bid
    client = login(Client(), admin)
    response = client.get(f"/bids/{bid.pk}/receipt.pdf", HTTP_ACCEPT_LANGUAGE="fa")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_another_company_sees_no_receipt(bid):
    bid, _admin = bid
    _other, stranger = bidder()
    client = login(Client(), stranger)
    for path in ("", "receipt.json", "receipt.pdf"):
        assert client.get(f"/bids/{bid.pk}/{path}").status_code == 404


def test_anyone_can_check_a_receipt_on_the_public_page(bid):
    bid, _admin = bid
    client = Client()
    valid = client.post(
        "/bids/receipts/verify/", {"receipt": json.dumps(bid.receipt.document)}
    ).content.decode()
    assert f"Valid: the platform signed this receipt of bid {bid.pk} (version 1)" in valid
    forged = json.dumps({**bid.receipt.document, "lot": "2"})
    answer = client.post("/bids/receipts/verify/", {"receipt": forged}).content.decode()
    assert "Not valid (BadSignature)." in answer
