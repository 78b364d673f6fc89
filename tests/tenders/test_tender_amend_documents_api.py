"""The amendments endpoint with documents: multipart, paired titles and files, problem+json."""

import json

import pytest

from accounts.models import Role
from tenders.models import Amendment, TenderDocument
from tests.factories import login
from tests.suppliers.factories import PDF, pdf

from .factories import OPENING_AT, SUBMISSION_DEADLINE, outsider
from .test_tender_amend_documents import (
    PDF_V2,
    SHA_V1,
    SHA_V2,
    published_with_specifications,
    stored_files,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders"


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    return response.json()


def test_the_officer_publishes_a_new_version_and_a_withdrawal_in_multipart(client):
    # given a published tender with "Specifications" v1 and "Drawing" v1
    tender, team = published_with_specifications()
    login(client, team.officer)
    client.post(
        f"{API}/{tender.pk}/amendments/",
        {"summary": "Drawing", "document_title": ["Drawing"], "document_file": [pdf("d.pdf")]},
    )

    # when the officer sends a new version, a withdrawal and a later deadline, in one request
    response = client.post(
        f"{API}/{tender.pk}/amendments/",
        {
            "summary": "Specifications revised, drawing withdrawn",
            "changes": json.dumps(
                {
                    "submission_deadline": (SUBMISSION_DEADLINE.replace(day=13)).isoformat(),
                    "opening_at": OPENING_AT.replace(day=13).isoformat(),
                }
            ),
            "document_title": ["Specifications"],
            "document_file": [pdf("specs-v2.pdf", PDF_V2)],
            "withdraw": ["Drawing"],
        },
    )

    # then one material amendment, public, listing the documents with their SHA-256
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["number"], body["material"]) == (2, True)
    assert body["changes"]["documents"] == [
        {
            "change": "new_version",
            "title": "Specifications",
            "version": 2,
            "original_name": "specs-v2.pdf",
            "size": len(PDF_V2),
            "sha256": SHA_V2,
        },
        {
            "change": "withdrawn",
            "title": "Drawing",
            "version": 1,
            "original_name": "d.pdf",
            "size": len(PDF),
            "sha256": SHA_V1,
        },
    ]
    assert body["changes"]["submission_deadline"]["to"] == "2029-07-13T09:00:00+00:00"
    listed = client.get(f"{API}/{tender.pk}/documents/").json()
    assert [
        (d["title"], d["version"], d["is_current"], d["amendment"], d["withdrawn_by_amendment"])
        for d in listed
    ] == [
        ("Drawing", 1, False, 1, 2),
        ("Specifications", 2, True, 2, None),
        ("Specifications", 1, False, None, None),
    ]
    # and anyone downloads every version
    client.logout()
    for document in listed:
        assert client.get(document["download_url"]).status_code == 200


def test_a_json_amendment_still_works_without_documents(client):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)

    # when
    response = client.post(
        f"{API}/{tender.pk}/amendments/",
        {"summary": "Title corrected", "changes": {"title": "Road"}},
        content_type="application/json",
    )

    # then a minor amendment as before
    assert response.status_code == 201, response.content
    assert response.json()["material"] is False
    assert response.json()["changes"] == {
        "title": {"from": "Resurfacing of the Karaj-Chalus road", "to": "Road"}
    }


def test_a_refused_file_is_a_problem_naming_its_row_and_leaves_nothing(client, nothing_written):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)
    files = stored_files(tender)

    # when the second file is no PDF or image
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/amendments/",
            {
                "summary": "Two documents",
                "document_title": ["Drawing", "Bill of quantities"],
                "document_file": [pdf("d.pdf"), pdf("boq.pdf", b"plain text, not a pdf")],
            },
        )

    # then
    problem = _problem(response, 422, "tender.document_rejected")
    assert problem["errors"] == {
        "documents.1.file": [
            "This type of file is not accepted. Upload a PDF, PNG or JPEG document."
        ]
    }
    assert stored_files(tender) == files


def test_titles_and_files_must_pair_up(client, nothing_written):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)

    # when two titles come with one file
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "S", "document_title": ["A", "B"], "document_file": [pdf("a.pdf")]},
        )

    # then
    problem = _problem(response, 400, "api.invalid")
    assert list(problem["errors"]) == ["document_file"]


def test_withdrawing_an_unknown_title_is_a_problem(client, nothing_written):
    # given
    tender, team = published_with_specifications()
    login(client, team.officer)

    # when
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "Out", "withdraw": ["Specs"]},
            content_type="application/json",
        )

    # then
    problem = _problem(response, 422, "tender.unknown_document")
    assert problem["errors"] == {"withdraw": ["The tender has no current document titled “Specs”."]}


@pytest.mark.parametrize("who", ["anonymous", "supplier", "other_buyers_officer", "approver"])
def test_only_the_buyers_officer_amends_documents_through_the_api(client, who, nothing_written):
    # given
    tender, team = published_with_specifications()
    user = {
        "anonymous": None,
        "supplier": lambda: outsider(Role.SUPPLIER_ADMIN),
        "other_buyers_officer": outsider,
        "approver": lambda: team.approver,
    }[who]
    if user is not None:
        login(client, user())
    files = stored_files(tender)

    # when
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/amendments/",
            {"summary": "S", "document_title": ["Drawing"], "document_file": [pdf("d.pdf")]},
        )

    # then
    if who == "anonymous":
        _problem(response, 401, "api.not_authenticated")
    else:
        _problem(response, 403, "api.permission_denied")
    assert stored_files(tender) == files
    assert not Amendment.objects.filter(tender=tender).exists()
    assert TenderDocument.objects.filter(tender=tender).count() == 1


def test_the_schema_documents_the_multipart_amendment(client):
    # when
    schema = client.get("/api/schema/", {"format": "json"})

    # then
    assert schema.status_code == 200
    operation = schema.json()["paths"]["/api/v1/tenders/{id}/amendments/"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) >= {"application/json", "multipart/form-data"}
    assert {"422", "409"} <= set(operation["responses"])
