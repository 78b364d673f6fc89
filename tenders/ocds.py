"""Open Contracting Data Standard 1.1: the tender's releases, records and packages.

Every change the public is told about (publication, amendment, cancellation,
closing, failure) leaves one OCDS release, built from the tender as it is
right after the change and stored (`Release`) in the transaction of the
service that made it: `release_record(tender=..., tag=...)` is the one line
each service calls. A record per ocid lists its releases and compiles them
under the standard's merge rules (`merge_releases`). Packages wrap both for
the public endpoints (tenders/ocds_api.py).

Lots follow the OCDS lots extension (v1.1.5, declared in every package's
`extensions`): `tender.lots` with each lot's id (its number), title,
description, value and status, and every lot item's `relatedLot`. Item "0"
carries the tender's CPV codes and has no `relatedLot`: the extension reads
that as applying to the whole tender.

Amounts are OCDS Values, `{"amount": <number>, "currency": <ISO 4217>}`, each in
its own currency (`core.money.ocds_value`). OCDS amounts are JSON numbers; a
binary float cannot hold every amount, so the number is a Decimal, stored and
served as exact JSON text (`core.exactjson`): `60000000000.50`, never
`60000000000.5000001`. Quantities are exact the same way.

Both languages: every text people write is published with its Persian
variant as an OCDS language variation (`title_fa`, `description_fa`,
`name_fa`, `rationale_fa`, `eligibilityCriteria_fa`; the schema's
patternProperties allow them), each left out when empty. An item's unit is
`{"scheme": "UNCEFACT", "id", "name", "name_fa"}` (UN/ECE Recommendation 20,
core.units); a free-text unit from before the list is `{"name"}` only.

The tender's bid sealing keys are `tender.sealingKeys`, `[{"kind", "publicKey",
"fingerprint"}]` (envelope kind, the X25519 public key in base64, its SHA-256
in hex), from the publication on. No OCDS extension describes encryption keys;
OCDS allows additional fields, and the schema tests validate the releases with
it present. It is a field of our own, not declared among the extensions.

What is left out, honestly: a lot's bid security amount (neither the core
schema nor the lots extension has a field for it; the submission terms
extension's `depositsGuarantees` is free text and not among the schemas the
project validates against; the notice page shows it), and the cancellation's
reason (OCDS 1.1 has no `statusDetails`; the notice page shows it).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import F, Max
from django.urls import reverse

from audit.services import hold_chain
from core import bilingual, units
from core.clock import db_now
from core.money import ocds_value

from .models import (
    Amendment,
    Lot,
    MainCategory,
    ProcurementMethod,
    Release,
    ReleaseHead,
    Tender,
    TenderState,
)

VERSION = "1.1"
# The extensions whose fields releases use, by the official URL of their extension.json.
LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
EXTENSIONS = (LOTS_EXTENSION,)

TAG_TENDER = "tender"
# The envelopes' order, as the notice shows them.
ENVELOPE_ORDER = {"single": 0, "technical": 0, "financial": 1}
TAG_AMENDMENT = "tenderAmendment"
TAG_UPDATE = "tenderUpdate"
TAG_CANCELLATION = "tenderCancellation"
TAGS = (TAG_TENDER, TAG_AMENDMENT, TAG_UPDATE, TAG_CANCELLATION)

# OCDS method codelist (closed): restricted tenders invite pre-qualified suppliers
# (selective); a request for quotations goes to the suppliers the buyer asks (limited).
METHODS = {
    ProcurementMethod.OPEN: "open",
    ProcurementMethod.RESTRICTED: "selective",
    ProcurementMethod.RFQ: "limited",
}
METHOD_DETAILS = {
    ProcurementMethod.OPEN: "Open tender",
    ProcurementMethod.RESTRICTED: "Restricted tender (invited or pre-qualified suppliers)",
    ProcurementMethod.RFQ: "Request for quotations",
}
# OCDS procurementCategory codelist (closed).
CATEGORIES = {
    MainCategory.GOODS: "goods",
    MainCategory.WORKS: "works",
    MainCategory.SERVICES: "services",
}
# OCDS tenderStatus codelist (closed). A closed tender is still `active`: its
# process runs on (opening, evaluation); its tender period has ended.
STATUSES = {
    TenderState.PUBLISHED: "active",
    TenderState.CLOSED: "active",
    TenderState.CANCELLED: "cancelled",
    TenderState.UNSUCCESSFUL: "unsuccessful",
}


def _date(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def _quantity(value: Decimal) -> int | Decimal:
    """An exact JSON number: an integer when the value is whole, else its decimals."""
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _period(start, end) -> dict:
    period = {}
    if start is not None:
        period["startDate"] = _date(start)
    if end is not None:
        period["endDate"] = _date(end)
    return period


def party_id(organisation) -> str:
    return f"{settings.TENDER_OCID_PREFIX}-org-{organisation.pk}"


def _party(organisation) -> dict:
    party = {
        "id": party_id(organisation),
        "name": organisation.name,
        "identifier": {"legalName": organisation.name},
        "roles": ["buyer", "procuringEntity"],
    }
    if organisation.name_fa:
        party["name_fa"] = organisation.name_fa
        party["identifier"]["legalName_fa"] = organisation.name_fa
    return party


def _classification(code: str) -> dict:
    return {"scheme": "CPV", "id": code}


def lot_id(lot: Lot) -> str:
    """A lot's OCDS id: its number, fixed once the tender is published."""
    return str(lot.number)


def lot_entry(lot: Lot, *, tender: Tender) -> dict:
    """One lot of `tender.lots` (lots extension); its status is the tender's."""
    entry = {"id": lot_id(lot)}
    entry.update(_variants(lot, "title"))
    entry.update(_variants(lot, "description"))
    entry["status"] = STATUSES[tender.state]
    entry["value"] = ocds_value(lot.estimated_value)
    return entry


def item_entry(item, *, lot: Lot) -> dict:
    """One item of a lot, with its `relatedLot`."""
    entry = {"id": str(item.pk), **_variants(item, "description")}
    entry["quantity"] = _quantity(item.quantity)
    entry["unit"] = _unit(item.unit)
    entry["relatedLot"] = lot_id(lot)
    if item.cpv_code:
        entry["classification"] = _classification(item.cpv_code)
    return entry


def _variants(obj, field: str, *, key: str = "") -> dict:
    """`key` and `key_fa` (OCDS language variations) of the pair `field`, empty ones left out."""
    key = key or field
    english, persian = bilingual.variants(obj, field)
    return {name: value for name, value in ((key, english), (f"{key}_fa", persian)) if value}


def _unit(unit: str) -> dict:
    """An item's unit: UNCEFACT, its Recommendation 20 code and names (free text: a name only)."""
    if not units.is_valid(unit):
        return {"name": unit}
    return {
        "scheme": units.SCHEME,
        "id": unit,
        "name": units.label(unit, "en"),
        "name_fa": units.label(unit, "fa"),
    }


def whole_tender_item(tender: Tender) -> dict:
    """Item "0": the tender's CPV codes (OCDS classifies items only), for the whole tender."""
    main, *additional = tender.cpv_codes
    whole = {"id": "0", "description": tender.title}
    if tender.title_fa:
        whole["description_fa"] = tender.title_fa
    whole["classification"] = _classification(main)
    if additional:
        whole["additionalClassifications"] = [_classification(code) for code in additional]
    return whole


def _items(tender: Tender, lots: list[Lot]) -> list[dict]:
    """Item "0" for the whole tender, then every lot's items."""
    return [
        whole_tender_item(tender),
        *(item_entry(item, lot=lot) for lot in lots for item in lot.items.all()),
    ]


def _amendments(tender: Tender, *, current: Amendment | None, release_id: str) -> list[dict]:
    released = dict(
        Release.objects.filter(tender=tender, amendment__isnull=False).values_list(
            "amendment_id", "release_id"
        )
    )
    if current is not None:
        released[current.pk] = release_id
    amendments = []
    for amendment in tender.amendments.order_by("number"):
        entry = {
            "id": str(amendment.number),
            "date": _date(amendment.created_at),
        }
        entry.update(_variants(amendment, "summary", key="rationale"))
        entry.update(_variants(amendment, "notice", key="description"))
        if amendment.pk in released:
            entry["releaseID"] = released[amendment.pk]
        amendments.append(entry)
    return amendments


def _document_url(document) -> str:
    path = reverse("tender_admin:document_download", args=[document.tender_id, document.pk])
    return settings.SITE_URL.rstrip("/") + path


def _documents(tender: Tender) -> list[dict]:
    """Every version of every tender document, oldest first per title (`document_entry`)."""
    versions = tender.documents.select_related("amendment", "withdrawn_by_amendment")
    return [
        document_entry(document, tender=tender)
        for document in versions.order_by("title", "version")
    ]


def document_entry(document, *, tender: Tender) -> dict:
    """One version of a tender document, with its SHA-256 (OCDS has no hash field).

    A version published by an amendment says so; a withdrawn one stays listed
    (the history is public), marked withdrawn, with the withdrawal's date as
    `dateModified`. `url` is the public download (public once the tender is).
    """
    published = max(document.created_at, tender.published_at)
    description = f"SHA-256: {document.sha256}"
    if document.amendment is not None:
        description += f"; published by amendment {document.amendment.number}"
    entry = {
        "id": f"doc-{document.pk}",
        "documentType": "biddingDocuments",
        "title": f"{document.title} (version {document.version})",
        "description": description,
        "url": _document_url(document),
        "datePublished": _date(published),
        "format": document.content_type,
    }
    if document.title_fa:
        entry["title_fa"] = f"{document.title_fa} (نسخه {document.version})"
    withdrawn = document.withdrawn_by_amendment
    if withdrawn is not None:
        entry["description"] += f"; withdrawn by amendment {withdrawn.number}"
        entry["dateModified"] = _date(withdrawn.created_at)
    return entry


def build_release(
    tender: Tender,
    *,
    release_id: str,
    tag: str,
    date: datetime.datetime,
    amendment: Amendment | None = None,
) -> dict:
    """The OCDS release of `tender` as it is now (JSON types only)."""
    buyer = tender.buyer
    reference = {"id": party_id(buyer), "name": buyer.name}
    lots = list(tender.lots.all())
    data = {
        "ocid": tender.ocid,
        "id": release_id,
        "date": _date(date),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "parties": [_party(buyer)],
        "buyer": reference,
        "tender": {
            "id": tender.reference,
            "title": tender.title,
            "description": tender.description,
            "status": STATUSES[tender.state],
            "procuringEntity": reference,
            "items": _items(tender, lots),
            "value": ocds_value(tender.estimated_value),
            "procurementMethod": METHODS[tender.procurement_method],
            "procurementMethodDetails": METHOD_DETAILS[tender.procurement_method],
            "mainProcurementCategory": CATEGORIES[tender.main_category],
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": _period(tender.published_at, tender.submission_deadline),
            "enquiryPeriod": _period(tender.published_at, tender.clarification_deadline),
            "hasEnquiries": tender.clarifications.filter(published=True).exists(),
        },
    }
    if lots:
        data["tender"]["lots"] = [lot_entry(lot, tender=tender) for lot in lots]
    documents = _documents(tender)
    if documents:
        data["tender"]["documents"] = documents
    amendments = _amendments(tender, current=amendment, release_id=release_id)
    if amendments:
        data["tender"]["amendments"] = amendments
    sealing_keys = [
        {"kind": key.kind, "publicKey": key.public_key, "fingerprint": key.fingerprint}
        for key in sorted(tender.sealing_keys.all(), key=lambda key: ENVELOPE_ORDER[key.kind])
    ]
    if sealing_keys:
        data["tender"]["sealingKeys"] = sealing_keys
    if tender.required_declarations:
        data["tender"]["eligibilityCriteria"] = "; ".join(tender.required_declarations)
    if tender.required_declarations_fa:
        data["tender"]["eligibilityCriteria_fa"] = "؛ ".join(tender.required_declarations_fa)
    # Persian through OCDS language variations (field_fa), which the schema allows.
    if tender.title_fa:
        data["tender"]["title_fa"] = tender.title_fa
    if tender.description_fa:
        data["tender"]["description_fa"] = tender.description_fa
    return data


def release_record(
    *, tender: Tender, tag: str, amendment: Amendment | None = None
) -> Release | None:
    """Store the release of a change the calling service just made (in its transaction).

    A tender that was never published has no open data: nothing is stored
    (a draft cancelled before approval). The caller holds the tender's row
    lock, so a sequence number cannot be taken twice.
    """
    if tag not in TAGS:
        raise ValueError(tag)
    if tender.published_at is None:
        return None
    sequence = (
        Release.objects.filter(tender=tender).aggregate(last=Max("sequence"))["last"] or 0
    ) + 1
    release_id = f"{tender.ocid}-{sequence:04d}-{tag}"
    date = db_now()
    release = Release.objects.create(
        tender=tender,
        ocid=tender.ocid,
        sequence=sequence,
        release_id=release_id,
        tag=tag,
        date=date,
        amendment=amendment,
        data=build_release(tender, release_id=release_id, tag=tag, date=date, amendment=amendment),
    )
    _count_release()
    return release


def _count_release() -> None:
    """Advance `ReleaseHead`, in commit order: under the audit chain head's lock, taken first.

    Every service that publishes a release also records an audit event, some
    before the release and some after; taking the chain's lock before this
    row's keeps the order of the two locks the same in all of them.
    """
    hold_chain()
    if not ReleaseHead.objects.filter(pk=1).update(count=F("count") + 1):
        # The row its migration made is gone only where tables were emptied (test flushes).
        ReleaseHead.objects.create(pk=1, count=Release.objects.count())


# --- records: the merge rules -------------------------------------------------------------


def _merge_value(old, new):
    """Merge `new` onto `old` (OCDS 1.1 merging: objects deep, identified arrays by id)."""
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = _merge_value(merged[key], value)
            else:
                merged[key] = _merge_value({}, value) if isinstance(value, dict) else value
        return merged
    if _identified(old) and _identified(new):
        by_id = {str(entry["id"]): entry for entry in old}
        order = [str(entry["id"]) for entry in old]
        for entry in new:
            key = str(entry["id"])
            if key in by_id:
                by_id[key] = _merge_value(by_id[key], entry)
            else:
                by_id[key] = _merge_value({}, entry)
                order.append(key)
        return [by_id[key] for key in order]
    if isinstance(new, dict):
        return _merge_value({}, new)
    return new


def _identified(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(entry, dict) and "id" in entry for entry in value)
    )


def merge_releases(releases: list[dict]) -> dict:
    """The compiled release of `releases` (oldest first), tagged `compiled`."""
    compiled: dict = {}
    for release in sorted(releases, key=lambda release: release["date"]):
        compiled = _merge_value(compiled, release)
    if releases:
        compiled["id"] = f"{compiled['ocid']}-{compiled['date']}"
        compiled["tag"] = ["compiled"]
    return compiled


# --- packages ---------------------------------------------------------------------------------


def _package_metadata(uri: str, published_date: datetime.datetime) -> dict:
    package = {
        "uri": uri,
        "version": VERSION,
        "publishedDate": _date(published_date),
        "publisher": {"name": settings.OCDS_PUBLISHER_NAME},
        "license": settings.OCDS_LICENSE,
        "extensions": list(EXTENSIONS),
    }
    if settings.OCDS_PUBLISHER_URI:
        package["publisher"]["uri"] = settings.OCDS_PUBLISHER_URI
    if settings.OCDS_PUBLICATION_POLICY:
        package["publicationPolicy"] = settings.OCDS_PUBLICATION_POLICY
    return package


def release_package(
    releases: list[Release], *, uri: str, published_date: datetime.datetime | None = None
) -> dict:
    """A release package of `releases`; published when its newest release was (or now)."""
    if published_date is None:
        published_date = max((release.date for release in releases), default=None) or db_now()
    return {**_package_metadata(uri, published_date), "releases": [r.data for r in releases]}


def record_package(releases: list[Release], *, uri: str, release_url) -> dict:
    """The record package of one ocid: its releases linked by URL, and the compiled release.

    `release_url(release)` gives the absolute URL of the release's package.
    """
    newest = max(release.date for release in releases)
    record = {
        "ocid": releases[0].ocid,
        "releases": [
            {
                "url": f"{release_url(release)}#{release.release_id}",
                "date": release.data["date"],
                "tag": release.data["tag"],
            }
            for release in releases
        ],
        "compiledRelease": merge_releases([release.data for release in releases]),
    }
    return {
        **_package_metadata(uri, newest),
        "packages": [release_url(release) for release in releases],
        "records": [record],
    }


# --- reads for the endpoints -------------------------------------------------------------------


def release_get(release_id: str) -> Release:
    """One release by its OCDS id (Release.DoesNotExist if there is none)."""
    return Release.objects.get(release_id=release_id)


def releases_of(ocid: str) -> list[Release]:
    """Every release of one contracting process, oldest first."""
    return list(Release.objects.filter(ocid=ocid).order_by("date", "sequence"))


def releases_between(*, since=None, until=None):
    """Every release made at or after `since` and before `until`, oldest first."""
    queryset = Release.objects.order_by("date", "pk")
    if since is not None:
        queryset = queryset.filter(date__gte=since)
    if until is not None:
        queryset = queryset.filter(date__lt=until)
    return queryset
