"""The Atom feed: one entry per publication and per amendment, newest first."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from core.clock import frozen_at
from tenders import services

from .factories import HOUR, NOW, tender_in_state

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_lists_publications_and_amendments_newest_first(client):
    # given
    with frozen_at(NOW - 2 * HOUR):
        first, team = tender_in_state("published", title="First tender")
    with frozen_at(NOW - HOUR):
        second, _team = tender_in_state("published", title="Second tender")
    services.tender_amend(
        actor=team.officer, tender=first, summary="Title corrected", changes={"title": "First"}
    )
    tender_in_state("draft", title="Draft tender")

    # when
    response = client.get(reverse("tenders:feed"))

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    entries = [
        (
            entry.find(f"{ATOM}title").text,
            entry.find(f"{ATOM}link").get("href"),
            entry.find(f"{ATOM}updated").text,
        )
        for entry in root.findall(f"{ATOM}entry")
    ]
    assert entries == [
        (
            f"Amendment 1 to {first.reference}: First",
            f"http://testserver/tenders/{first.pk}/#amendment-1",
            "2029-06-01T09:00:00+00:00",
        ),
        (
            f"Published: {second.reference}: Second tender",
            f"http://testserver/tenders/{second.pk}/",
            "2029-06-01T08:00:00+00:00",
        ),
        (
            f"Published: {first.reference}: First",
            f"http://testserver/tenders/{first.pk}/",
            "2029-06-01T07:00:00+00:00",
        ),
    ]
