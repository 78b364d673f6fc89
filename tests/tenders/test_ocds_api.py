"""The public OCDS endpoints: a release package, a record package, the list by date."""

import datetime

import pytest

from core.clock import frozen_at
from tenders import services
from tenders.models import Release

from .factories import NOW, tender_in_state
from .ocds_validation import errors

pytestmark = pytest.mark.django_db

BASE = "http://testserver/api/v1/ocds"


def test_a_release_package_per_release(client):
    # given a published tender
    tender_in_state("published")
    release = Release.objects.get()

    # when anyone asks for its release
    response = client.get(f"/api/v1/ocds/releases/{release.release_id}/")

    # then the answer is a valid release package holding that release only
    assert response.status_code == 200
    assert response.json() == {
        "uri": f"{BASE}/releases/{release.release_id}/",
        "version": "1.1",
        "publishedDate": "2029-06-01T09:00:00Z",
        "publisher": {"name": "Panjere"},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "extensions": [
            "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
            "v1.1.5/extension.json"
        ],
        "releases": [release.data],
    }
    assert errors(response.json(), "release-package-schema.json") == []


def test_a_record_package_per_ocid(client):
    # given a published, then amended tender
    tender, team = tender_in_state("published")
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Title corrected", changes={"title": "Road"}
    )
    first, second = Release.objects.order_by("sequence")

    # when anyone asks for its record
    response = client.get(f"/api/v1/ocds/records/{tender.ocid}/")

    # then the record package links both releases and compiles them
    assert response.status_code == 200
    body = response.json()
    assert errors(body, "record-package-schema.json") == []
    assert body["uri"] == f"{BASE}/records/{tender.ocid}/"
    assert body["packages"] == [
        f"{BASE}/releases/{first.release_id}/",
        f"{BASE}/releases/{second.release_id}/",
    ]
    record = body["records"][0]
    assert record["ocid"] == tender.ocid
    assert record["releases"] == [
        {
            "url": f"{BASE}/releases/{first.release_id}/#{first.release_id}",
            "date": "2029-06-01T09:00:00Z",
            "tag": ["tender"],
        },
        {
            "url": f"{BASE}/releases/{second.release_id}/#{second.release_id}",
            "date": "2029-06-01T09:00:00Z",
            "tag": ["tenderAmendment"],
        },
    ]
    assert record["compiledRelease"]["tender"]["title"] == "Road"
    assert record["compiledRelease"]["tag"] == ["compiled"]
    assert body["extensions"] == [
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
        "v1.1.5/extension.json"
    ]


def test_unknown_release_and_record_are_problem_404(client):
    # given nothing published
    # when / then
    for url in ("/api/v1/ocds/releases/nope/", "/api/v1/ocds/records/ocds-pnj000-X/"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["code"] == "api.not_found"


def test_the_list_pages_release_packages_by_date(client):
    # given three tenders published a day apart
    ids = []
    for days in (0, 1, 2):
        with frozen_at(NOW + datetime.timedelta(days=days)):
            tender, _team = tender_in_state("published")
        ids.append(Release.objects.get(tender=tender).release_id)

    # when the list is read two at a time, from the second day
    first = client.get("/api/v1/ocds/releases/", {"page_size": 2})
    since = client.get("/api/v1/ocds/releases/", {"since": "2029-06-02T09:00:00Z"})

    # then each page is a valid release package, oldest first, linked to the next
    body = first.json()
    assert errors(body, "release-package-schema.json") == []
    assert [r["id"] for r in body["releases"]] == ids[:2]
    assert body["links"] == {"next": f"{BASE}/releases/?page_size=2&page=2"}
    second = client.get(body["links"]["next"]).json()
    assert [r["id"] for r in second["releases"]] == ids[2:]
    assert second["links"] == {"prev": f"{BASE}/releases/?page_size=2&page=1"}
    assert second["publishedDate"] == "2029-06-03T09:00:00Z"
    assert [r["id"] for r in since.json()["releases"]] == ids[1:]
    assert "links" not in since.json()


def test_a_bad_date_is_a_problem_400(client):
    # when
    response = client.get("/api/v1/ocds/releases/", {"since": "yesterday"})

    # then
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["since"]


def test_the_endpoints_are_in_the_openapi_schema(client):
    # when
    schema = client.get("/api/schema/", {"format": "json"}).json()

    # then
    assert {
        "/api/v1/ocds/releases/",
        "/api/v1/ocds/releases/{release_id}/",
        "/api/v1/ocds/records/{ocid}/",
    } <= set(schema["paths"])
