"""Amending the documents on the buyer's page, and what the public notice and feed show."""

import datetime

import pytest
from django.urls import reverse

from core.money import Money, money_json
from tenders import services
from tenders.models import Amendment, TenderDocument
from tests.factories import login
from tests.suppliers.factories import pdf

from .test_tender_amend_documents import (
    PDF_V2,
    SHA_PNG,
    SHA_V1,
    SHA_V2,
    png,
    published_with_specifications,
    stored_files,
)

pytestmark = pytest.mark.django_db


def _amend_url(tender):
    return reverse("tender_admin:amend", args=[tender.pk])


def _unchanged_form_data(client, tender) -> dict:
    """What the amend form holds when the officer changes none of the tender's fields."""
    form = client.get(_amend_url(tender)).context["form"]
    data = {}
    for name in form.change_names:
        value = form[name].value()
        if isinstance(value, Money):
            # An amount and its currency are two inputs (core.forms.MoneyWidget).
            data[f"{name}_amount"], data[f"{name}_currency"] = money_json(value).values()
            continue
        if isinstance(value, datetime.datetime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        data[name] = "" if value is None else value
    return data


def test_the_amend_page_offers_document_rows_and_withdrawal_without_javascript(client):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)

    # when
    page = client.get(_amend_url(tender))

    # then a multipart form with three rows and a checkbox per current document
    html = page.content.decode()
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html
    assert [f"document_file_{row}" in html for row in (1, 2, 3)] == [True, True, True]
    assert 'type="checkbox" name="withdraw" value="Specifications"' in html
    assert SHA_V1 in html


def test_the_officer_publishes_a_new_version_a_new_document_and_a_withdrawal(client):
    # given a published tender with "Specifications" v1 and "Drawing" v1
    tender, team = published_with_specifications()
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Drawing", documents=[("Drawing", png())]
    )
    login(client, team.officer)
    data = _unchanged_form_data(client, tender)

    # when the officer fills two rows and ticks the drawing
    data.update(
        summary="Revised specifications, new bill of quantities, drawing withdrawn",
        document_title_1="Specifications",
        document_file_1=pdf("specs-v2.pdf", PDF_V2),
        document_title_3="Bill of quantities",
        document_file_3=png("boq.png"),
        withdraw=["Drawing"],
    )
    response = client.post(_amend_url(tender), data)

    # then amendment 2, material, with the three document changes and nothing else
    assert response.status_code == 302, response.context["form"].errors
    amendment = Amendment.objects.get(tender=tender, number=2)
    assert amendment.material is True
    assert [(e["change"], e["title"], e["version"]) for e in amendment.changes["documents"]] == [
        ("new_version", "Specifications", 2),
        ("added", "Bill of quantities", 1),
        ("withdrawn", "Drawing", 1),
    ]
    assert list(amendment.changes) == ["documents"]
    assert TenderDocument.objects.get(title="Drawing").withdrawn_by_amendment == amendment


def test_a_refused_file_is_an_error_on_its_row(client, nothing_written):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)
    data = _unchanged_form_data(client, tender)
    data.update(
        summary="Two documents",
        document_title_1="Drawing",
        document_file_1=png(),
        document_title_2="Bill of quantities",
        document_file_2=pdf("boq.pdf", b"plain text"),
    )
    files = stored_files(tender)

    # when
    with nothing_written():
        response = client.post(_amend_url(tender), data)

    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "document_file_2": [
            "This type of file is not accepted. Upload a PDF, PNG or JPEG document."
        ]
    }
    assert stored_files(tender) == files


def test_a_title_without_a_file_is_an_error_on_the_file(client, nothing_written):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)
    data = _unchanged_form_data(client, tender)
    data.update(summary="Forgot the file", document_title_2="Drawing")

    # when
    with nothing_written():
        response = client.post(_amend_url(tender), data)

    # then
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "document_file_2": ["Choose the file of this document."]
    }


def test_a_withdrawal_too_close_to_the_deadline_is_an_error_on_the_deadline(
    client, nothing_written
):
    # given a deadline five days away
    from core.clock import frozen_at

    from .factories import DAY, NOW

    tender, team = published_with_specifications()
    login(client, team.officer)
    with frozen_at(NOW + 30 * DAY):
        data = _unchanged_form_data(client, tender)
        data.update(summary="Out", withdraw=["Specifications"])

        # when
        with nothing_written():
            response = client.post(_amend_url(tender), data)

    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["submission_deadline"]


def test_the_notice_shows_every_version_its_amendment_and_withdrawals(client):
    # given v1 from the draft, v2 by amendment 1, then v2 withdrawn by amendment 2
    tender, team = published_with_specifications()
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Specifications revised",
        documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2)), ("Drawing", png())],
    )
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Out", withdraw=["Specifications"]
    )

    # when anybody reads the notice
    page = client.get(reverse("tenders:notice", kwargs={"key": tender.pk}))

    # then each version is listed with its hash, origin and state
    assert page.status_code == 200
    html = page.content.decode()
    documents = html[html.index('id="documents-heading"') : html.index('id="clarifications"')]
    for sha in (SHA_V1, SHA_V2, SHA_PNG):
        assert sha in documents
    assert documents.count('class="tender-document') == 3
    assert "withdrawn by amendment 2" in documents
    assert "The original notice" in documents
    assert documents.count('href="#amendment-1"') == 2
    # and the amendment history says what each amendment did to the documents
    history = html[html.index('id="amendments-heading"') :]
    # the title isolated (FSI … PDI) for right-to-left text
    assert "Document “\u2068Specifications\u2069”" in history
    assert f"version 2 · SHA-256 {SHA_V2}" in history
    assert "withdrawn" in history


def test_the_feed_tells_the_document_changes(client):
    # given
    tender, team = published_with_specifications()
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Revised",
        documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2))],
    )

    # when
    feed = client.get(reverse("tenders:feed")).content.decode()

    # then
    assert f"Revised New version 2 of “Specifications” (SHA-256 {SHA_V2})." in feed
