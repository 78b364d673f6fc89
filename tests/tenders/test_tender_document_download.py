"""A tender document is public once the tender is; before that, its buyer's people only."""

import pytest
from django.urls import reverse

from tenders import services
from tests.factories import login
from tests.suppliers.factories import PDF, pdf

from .factories import draft_tender, outsider

pytestmark = pytest.mark.django_db


def _draft_with_document():
    tender, team = draft_tender()
    document = services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specs", uploaded=pdf("specs.pdf")
    )
    url = reverse("tender_admin:document_download", args=[tender.pk, document.pk])
    return tender, team, url


def test_the_buyers_people_download_a_drafts_document(client):
    # given
    _tender, team, url = _draft_with_document()
    login(client, team.approver)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="specs.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_nobody_else_sees_a_drafts_document(client, who):
    # given
    _tender, _team, url = _draft_with_document()
    if who == "outsider":
        login(client, outsider())

    # when
    response = client.get(url)

    # then
    assert response.status_code == 404


def test_anyone_downloads_it_once_the_tender_is_published(client):
    # given
    tender, team, url = _draft_with_document()
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # when
    response = client.get(url)

    # then
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
