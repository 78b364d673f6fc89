"""The browser bid page: the tender's keys, the items to price, the scripts under SRI."""

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client

from tests.bidding.factories import bidder, published
from tests.factories import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_clock")]

STATIC = Path(__file__).resolve().parents[2] / "static" / "js"


def sri(name: str) -> str:
    return (
        "sha384-" + base64.b64encode(hashlib.sha384((STATIC / name).read_bytes()).digest()).decode()
    )


def test_the_page_carries_the_keys_the_items_and_the_scripts_with_their_integrity(tender_keys):
    tender, _lot, _team = published(envelope_scheme="two")
    supplier, admin = bidder()
    response = login(Client(), admin).get(f"/bids/tenders/{tender.ocid}/lots/1/")
    assert response.status_code == 200
    page = response.content.decode()
    for kind in ("technical", "financial"):
        assert base64.b64encode(tender_keys.public(kind)).decode() in page
    assert f"&quot;{supplier.pk}&quot;: 1" in page  # the next version of the supplier's bid
    assert len(re.findall(r"<tr data-item=", page)) == 2
    assert f'integrity="{sri("sealing.js")}"' in page
    assert f'integrity="{sri("bid.js")}"' in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_without_published_keys_the_page_says_so(tender_keys, monkeypatch):
    from bidding.exceptions import TenderKeyMissing

    def missing(tender, kind):
        raise TenderKeyMissing()

    monkeypatch.setattr("bidding.keys.tender_public_key", missing)
    tender, _lot, _team = published()
    _supplier, admin = bidder()
    page = login(Client(), admin).get(f"/bids/tenders/{tender.ocid}/lots/1/").content.decode()
    assert "The tender's keys are not published: no bid can be sealed yet." in page
    assert "sealing.js" not in page


def test_a_lot_that_does_not_exist_is_not_found(tender_keys):
    tender, _lot, _team = published()
    _supplier, admin = bidder()
    assert login(Client(), admin).get(f"/bids/tenders/{tender.ocid}/lots/9/").status_code == 404
