"""Validate OCDS documents against the official 1.1.5 schemas copied into tenders/ocds_schema.

No network: the package schemas' `$ref` to the release schema resolves to the local copy.
"""

import csv
import functools
import json
from pathlib import Path

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "tenders" / "ocds_schema"


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text())


@functools.cache
def _validator(name: str) -> jsonschema.Draft4Validator:
    release_schema = _load("release-schema.json")
    resource = DRAFT4.create_resource(release_schema)
    registry = Registry().with_resource(release_schema["id"], resource)
    return jsonschema.Draft4Validator(
        _load(name), registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )


def errors(document: dict, schema: str) -> list[str]:
    """Every schema error of `document`, as readable lines (empty when valid)."""
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in _validator(schema).iter_errors(document)
    ]


@functools.cache
def codes(codelist: str) -> frozenset[str]:
    with (SCHEMA_DIR / "codelists" / f"{codelist}.csv").open(newline="") as handle:
        return frozenset(row["Code"] for row in csv.DictReader(handle))


def codelist_errors(release: dict) -> list[str]:
    """The closed-codelist values of a release that are not in their codelist."""
    tender = release.get("tender", {})
    checks = [("releaseTag", value) for value in release.get("tag", [])] + [
        ("initiationType", release.get("initiationType")),
        ("tenderStatus", tender.get("status")),
        ("method", tender.get("procurementMethod")),
        ("procurementCategory", tender.get("mainProcurementCategory")),
        ("currency", tender.get("value", {}).get("currency")),
        *(("submissionMethod", value) for value in tender.get("submissionMethod", [])),
        *(
            ("partyRole", role)
            for party in release.get("parties", [])
            for role in party.get("roles", [])
        ),
        *(
            ("itemClassificationScheme", classification["scheme"])
            for item in tender.get("items", [])
            for classification in [
                *filter(None, [item.get("classification")]),
                *item.get("additionalClassifications", []),
            ]
        ),
    ]
    return [f"{codelist}: {value!r}" for codelist, value in checks if value not in codes(codelist)]
