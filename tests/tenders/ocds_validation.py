"""Validate OCDS documents against the official 1.1.5 schemas copied into tenders/ocds_schema.

No network: the package schemas' `$ref` to the release schema resolves to the local copy,
extended by the lots extension (its release-schema.json is a JSON Merge Patch, RFC 7386).
"""

import csv
import functools
import json
from pathlib import Path

import jsonschema
from referencing import Registry
from referencing.jsonschema import DRAFT4

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "tenders" / "ocds_schema"
# The extensions the releases use, each a folder of SCHEMA_DIR / "extensions".
EXTENSIONS = ("lots",)


def _load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text())


def merge_patch(target, patch):
    """RFC 7386 JSON Merge Patch: objects merge key by key, null removes, anything else replaces."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def extended_release_schema() -> dict:
    """The release schema with every extension's patch applied."""
    schema = _load("release-schema.json")
    for extension in EXTENSIONS:
        schema = merge_patch(schema, _load(f"extensions/{extension}/release-schema.json"))
    return schema


@functools.cache
def _validator(name: str) -> jsonschema.Draft4Validator:
    release_schema = extended_release_schema()
    schema = release_schema if name == "release-schema.json" else _load(name)
    resource = DRAFT4.create_resource(release_schema)
    registry = Registry().with_resource(release_schema["id"], resource)
    return jsonschema.Draft4Validator(
        schema, registry=registry, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
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
    """The closed-codelist values of a release that are not in their codelist (lots' too)."""
    tender = release.get("tender", {})
    checks = [("releaseTag", value) for value in release.get("tag", [])] + [
        ("initiationType", release.get("initiationType")),
        ("tenderStatus", tender.get("status")),
        ("method", tender.get("procurementMethod")),
        ("procurementCategory", tender.get("mainProcurementCategory")),
        ("currency", tender.get("value", {}).get("currency")),
        *(("tenderStatus", lot.get("status")) for lot in tender.get("lots", [])),
        *(("currency", lot.get("value", {}).get("currency")) for lot in tender.get("lots", [])),
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


def lot_reference_errors(release: dict) -> list[str]:
    """Each item's `relatedLot` that names no lot of `tender.lots`, and lots without an item."""
    tender = release.get("tender", {})
    lots = [lot["id"] for lot in tender.get("lots", [])]
    related = [item["relatedLot"] for item in tender.get("items", []) if "relatedLot" in item]
    return [f"relatedLot {lot!r}: no such lot" for lot in related if lot not in lots] + [
        f"lot {lot!r}: no item" for lot in lots if lot not in related
    ]
