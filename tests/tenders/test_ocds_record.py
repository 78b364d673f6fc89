"""The record of an ocid: its releases by URL, and their merge under the OCDS rules."""

import copy

import pytest

from tenders import ocds, services
from tenders.models import Release

from .factories import tender_in_state
from .ocds_validation import errors

pytestmark = pytest.mark.django_db


def _independent_merge(releases):
    """OCDS 1.1 merging, written apart from tenders.ocds: a check, not a copy."""

    def merge(base, update):
        result = copy.deepcopy(base)
        for key, value in update.items():
            if value is None:
                result.pop(key, None)
            elif isinstance(value, dict):
                result[key] = merge(result.get(key) or {}, value)
            elif (
                isinstance(value, list)
                and value
                and all(isinstance(v, dict) and "id" in v for v in value)
                and isinstance(result.get(key), list)
            ):
                existing = {str(v["id"]): v for v in result[key]}
                for entry in value:
                    existing[str(entry["id"])] = merge(existing.get(str(entry["id"]), {}), entry)
                result[key] = list(existing.values())
            else:
                result[key] = copy.deepcopy(value)
        return result

    compiled = {}
    for release in releases:
        compiled = merge(compiled, release)
    compiled["id"] = f"{compiled['ocid']}-{releases[-1]['date']}"
    compiled["tag"] = ["compiled"]
    return compiled


def _history():
    """Published with two lots, amended twice (title, then description), then cancelled."""
    tender, team = tender_in_state("published", lots=2)
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Title corrected", changes={"title": "Road"}
    )
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Scope clarified",
        changes={"description": "42 km."},
    )
    services.tender_cancel(actor=team.officer, tender=tender, reason="Budget withdrawn")
    return tender


def test_the_compiled_release_is_the_merge_of_the_releases():
    # given a tender with four releases
    tender = _history()
    releases = ocds.releases_of(tender.ocid)
    assert [r.tag for r in releases] == [
        "tender",
        "tenderAmendment",
        "tenderAmendment",
        "tenderCancellation",
    ]

    # when its record is compiled
    package = ocds.record_package(
        releases, uri="https://example.org/record", release_url=lambda r: f"https://x/{r.pk}"
    )

    # then the compiled release equals an independent merge, and reads as expected
    compiled = package["records"][0]["compiledRelease"]
    assert compiled == _independent_merge([r.data for r in releases])
    assert compiled["id"] == f"{tender.ocid}-2029-06-01T09:00:00Z"
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["title"] == "Road"
    assert compiled["tender"]["description"] == "42 km."
    assert compiled["tender"]["status"] == "cancelled"
    assert [
        (a["id"], a["rationale"], a["releaseID"]) for a in compiled["tender"]["amendments"]
    ] == [
        ("1", "Title corrected", f"{tender.ocid}-0002-tenderAmendment"),
        ("2", "Scope clarified", f"{tender.ocid}-0003-tenderAmendment"),
    ]
    # lots merge by id: each once, as the last release has it
    assert compiled["tender"]["lots"] == [
        {
            "id": str(number),
            "title": f"Section {number}",
            "status": "cancelled",
            "value": {"amount": 60000000000, "currency": "IRR"},
        }
        for number in (1, 2)
    ]
    assert [item.get("relatedLot") for item in compiled["tender"]["items"]] == [
        None,
        "1",
        "1",
        "2",
        "2",
    ]
    assert errors(package, "record-package-schema.json") == []
    assert errors(compiled, "release-schema.json") == []


def test_merge_rules_hand_computed():
    # given three releases: objects merge deep, identified arrays by id, other arrays are
    # replaced, null removes
    releases = [
        {
            "ocid": "o",
            "id": "1",
            "date": "2029-01-01T00:00:00Z",
            "tag": ["tender"],
            "tender": {
                "title": "A",
                "value": {"amount": 10, "currency": "IRR"},
                "items": [{"id": "1", "description": "x", "quantity": 1, "relatedLot": "1"}],
                "lots": [
                    {"id": "1", "title": "L1", "status": "active"},
                    {"id": "2", "title": "L2", "status": "active"},
                ],
                "submissionMethod": ["electronicSubmission"],
            },
        },
        {
            "ocid": "o",
            "id": "2",
            "date": "2029-01-02T00:00:00Z",
            "tag": ["tenderAmendment"],
            "tender": {
                "value": {"amount": 12},
                "items": [{"id": "1", "quantity": 2}, {"id": "2", "description": "y"}],
                "lots": [{"id": "2", "status": "cancelled"}],
                "submissionMethod": ["written"],
            },
        },
        {
            "ocid": "o",
            "id": "3",
            "date": "2029-01-03T00:00:00Z",
            "tag": ["tenderUpdate"],
            "tender": {"title": None, "status": "active"},
        },
    ]

    # when merged
    compiled = ocds.merge_releases(releases)

    # then
    assert compiled == {
        "ocid": "o",
        "id": "o-2029-01-03T00:00:00Z",
        "date": "2029-01-03T00:00:00Z",
        "tag": ["compiled"],
        "tender": {
            "value": {"amount": 12, "currency": "IRR"},
            "items": [
                {"id": "1", "description": "x", "quantity": 2, "relatedLot": "1"},
                {"id": "2", "description": "y"},
            ],
            "lots": [
                {"id": "1", "title": "L1", "status": "active"},
                {"id": "2", "title": "L2", "status": "cancelled"},
            ],
            "submissionMethod": ["written"],
            "status": "active",
        },
    }


def test_a_record_links_every_release_by_url():
    # given a tender with its history
    tender = _history()
    releases = list(Release.objects.filter(tender=tender).order_by("sequence"))

    # when its record package is built
    package = ocds.record_package(
        releases, uri="https://example.org/record", release_url=lambda r: f"https://x/{r.pk}"
    )

    # then each release is linked, oldest first, with its date and tag
    assert package["records"][0]["releases"] == [
        {
            "url": f"https://x/{r.pk}#{r.release_id}",
            "date": "2029-06-01T09:00:00Z",
            "tag": [r.tag],
        }
        for r in releases
    ]
    assert package["packages"] == [f"https://x/{r.pk}" for r in releases]
