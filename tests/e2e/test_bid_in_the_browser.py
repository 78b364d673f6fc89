"""In a real browser: a supplier prices a lot, seals both envelopes in the page, submits, and
lands on its receipt; the server holds only envelopes that the tender's private keys open."""

import datetime
import io
import json

import pytest
from django.conf import settings
from django.test import Client

from bidding.models import Bid
from core.clock import frozen_at
from panjere_client import bundle, envelope
from tests.bidding.factories import NOW, TenderKeys, bidder, published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tender_keys(monkeypatch):
    keys = TenderKeys()
    monkeypatch.setattr("bidding.keys.tender_public_key", keys.lookup)
    return keys


def signed_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def opened(data: bytes, private_key) -> dict:
    stream = envelope.OpenStream(io.BytesIO(data), private_key=private_key)
    reader = bundle.BundleReader(stream, kind=stream.header.context.kind)
    return {entry.entry.name: entry.read() for entry in reader.files()}


def test_a_supplier_seals_and_submits_a_two_envelope_bid_in_the_browser(
    page, live_server, screenshot, tender_keys
):
    with frozen_at(NOW):
        tender, lot, _team = published(envelope_scheme="two")
        supplier, admin = bidder()
    items = list(lot.items.order_by("pk"))
    signed_in(page, live_server, admin)
    with frozen_at(NOW + datetime.timedelta(hours=1)):
        page.goto(f"{live_server.url}/bids/tenders/{tender.ocid}/lots/1/")
        screenshot(page, "bid-page")
        prices = page.locator("tr[data-item] input")
        prices.nth(0).fill("150000")
        prices.nth(1).fill("2500000.50")
        page.check("#declaration-1")
        page.set_input_files(
            "#bid-documents",
            files=[{"name": "method.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7 m"}],
        )
        assert page.locator("#bid-total").text_content() == "30051254750.250 IRR"
        page.click("#bid-form button[type=submit]")
        page.wait_for_url("**/bids/*/", timeout=60_000)
        screenshot(page, "receipt")
    bid = Bid.objects.get()
    assert (bid.supplier, bid.version, bid.state) == (supplier, 1, "submitted")
    assert page.locator("h1").text_content() == "Receipt of a sealed bid"
    rows = {row.kind: row for row in bid.envelopes.all()}
    technical = opened(rows["technical"].file.read(), tender_keys.private["technical"])
    financial = opened(rows["financial"].file.read(), tender_keys.private["financial"])
    assert technical["method.pdf"] == b"%PDF-1.7 m"
    assert json.loads(technical["declarations.json"]) == {
        "format": 1,
        "declarations": [{"text": "No conflict of interest", "accepted": True}],
    }
    schedule = json.loads(financial["price-schedule.json"])
    assert schedule["currency"] == "IRR"
    assert [(i["item"], i["unit_price"], i["total"]) for i in schedule["items"]] == [
        (str(items[0].pk), "150000", "6300000000"),
        (str(items[1].pk), "2500000.50", "23751254750.250"),
    ]
    assert schedule["total"] == "30051254750.250"
