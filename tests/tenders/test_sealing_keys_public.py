"""The tender's sealing keys are public where bidders and observers look: notice, API, record."""

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from tenders.models import TenderKey

from .factories import tender_in_state

pytestmark = pytest.mark.django_db

TWO_ENVELOPES = {
    "envelope_scheme": "two",
    "evaluation_method": "qcbs",
    "evaluation_config": {
        "criteria": [{"name": "Experience", "weight": "100"}],
        "technical_threshold": "70",
    },
}


def test_the_notice_shows_each_key_in_full_left_to_right(client):
    # given a published two-envelope tender
    tender, _team = tender_in_state("published", **TWO_ENVELOPES)
    technical = TenderKey.objects.get(tender=tender, kind="technical")
    financial = TenderKey.objects.get(tender=tender, kind="financial")

    # when anyone reads its notice
    page = client.get(reverse("tenders:notice", kwargs={"key": tender.pk})).content.decode()

    # then the section lists the technical key, then the financial one, each fingerprint in full
    assert '<h2 class="h5" id="sealing-keys-heading">Bid sealing keys</h2>' in page
    assert "Only 2 members of the opening committee acting together can open them" in page
    rows = [
        (
            f'<tr class="sealing-key" data-kind="{key.kind}">\n'
            f'          <th scope="row">{label}</th>\n'
            '          <td><bdi dir="ltr"><code class="text-break small user-select-all '
            f'fingerprint">{key.fingerprint}</code></bdi></td>\n'
            '          <td><bdi dir="ltr"><code class="text-break small user-select-all '
            f'public-key">{key.public_key}</code></bdi></td>'
        )
        for key, label in ((technical, "Technical envelope"), (financial, "Financial envelope"))
    ]
    assert rows[0] in page and rows[1] in page
    assert page.index(rows[0]) < page.index(rows[1])


def test_the_notice_in_persian_names_the_section():
    tender, _team = tender_in_state("published")
    from django.test import Client

    with translation.override("fa"):
        page = (
            Client(HTTP_ACCEPT_LANGUAGE="fa")
            .get(reverse("tenders:notice", kwargs={"key": tender.pk}))
            .content.decode()
        )
    assert "کلیدهای مهر و موم پیشنهادها" in page
    assert tender.sealing_keys.get().fingerprint in page


def test_a_draft_has_no_keys_and_its_notice_api_lists_none(client):
    tender, team = tender_in_state("awaiting_approval")
    from tests.factories import login

    login(client, team.officer)
    body = client.get(f"/api/v1/tenders/{tender.pk}/").json()
    assert body["sealing_keys"] == []
    assert not TenderKey.objects.exists()


def test_the_public_api_gives_the_keys_a_bidder_s_client_seals_to(client):
    tender, _team = tender_in_state("published", **TWO_ENVELOPES)
    keys = {key.kind: key for key in TenderKey.objects.filter(tender=tender)}

    body = client.get(f"/api/v1/tenders/{tender.pk}/").json()

    assert body["sealing_keys"] == [
        {
            "kind": kind,
            "public_key": keys[kind].public_key,
            "fingerprint": keys[kind].fingerprint,
        }
        for kind in ("technical", "financial")
    ]


def test_the_published_event_that_the_checkpoint_covers_carries_the_fingerprints():
    tender, _team = tender_in_state("published", **TWO_ENVELOPES)
    event = Event.objects.get(action="tender.published")
    assert event.payload["sealing_keys"] == [
        {"kind": key.kind, "fingerprint": key.fingerprint}
        for key in (
            TenderKey.objects.get(tender=tender, kind="technical"),
            TenderKey.objects.get(tender=tender, kind="financial"),
        )
    ]
