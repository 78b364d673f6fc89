# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""Publication, amendment, cancellation, closing, outage extension: each leaves a release."""

import copy
import datetime
import hashlib
from decimal import Decimal

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.money import Money
from tenders import ocds, services
from tenders.exceptions import TenderNotAllowed
from tenders.models import Item, Release
from tests.suppliers.factories import PDF, pdf, supplier_in_state

from .factories import HOUR, NOW, SUBMISSION_DEADLINE, outsider, tender_in_state
from .ocds_validation import codelist_errors, errors, lot_reference_errors

pytestmark = pytest.mark.django_db

LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)


def _valid(release: Release) -> None:
    package = ocds.release_package([release], uri="https://example.org/package.json")
    assert package["extensions"] == [LOTS_EXTENSION]
    assert errors(package, "release-package-schema.json") == []
    assert codelist_errors(release.data) == []
    assert lot_reference_errors(release.data) == []


def test_publication_produces_a_tender_release_with_every_field():
    # given a tender awaiting approval
    tender, team = tender_in_state("awaiting_approval")
    assert not Release.objects.exists()

    # when the approver publishes it
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then one release, tagged `tender`, is stored, and it is valid OCDS
    release = Release.objects.get()
    key = tender.sealing_keys.get()
    item_ids = list(tender.lots.get().items.order_by("pk").values_list("pk", flat=True))
    buyer = f"ocds-pnj000-org-{team.buyer.pk}"
    assert (release.sequence, release.tag, release.date) == (1, "tender", NOW)
    assert release.data == {
        "ocid": tender.ocid,
        "id": f"{tender.ocid}-0001-tender",
        "date": "2029-06-01T09:00:00Z",
        "tag": ["tender"],
        "initiationType": "tender",
        "language": "en",
        "parties": [
            {
                "id": buyer,
                "name": "Roads Authority",
                "identifier": {"legalName": "Roads Authority"},
                "roles": ["buyer", "procuringEntity"],
            }
        ],
        "buyer": {"id": buyer, "name": "Roads Authority"},
        "tender": {
            "id": tender.reference,
            "title": "Resurfacing of the Karaj-Chalus road",
            "title_fa": "بهسازی جاده کرج-چالوس",
            "description": "Milling and resurfacing of 42 km of road.",
            "status": "active",
            "procuringEntity": {"id": buyer, "name": "Roads Authority"},
            "items": [
                {
                    "id": "0",
                    "description": "Resurfacing of the Karaj-Chalus road",
                    "description_fa": "بهسازی جاده کرج-چالوس",
                    "classification": {"scheme": "CPV", "id": "45233120-6"},
                },
                {
                    "id": str(item_ids[0]),
                    "description": "Asphalt milling",
                    "quantity": 42000,
                    # entered as "m2": its UN/ECE Recommendation 20 code, named in both languages
                    "unit": {
                        "scheme": "UNCEFACT",
                        "id": "MTK",
                        "name": "square metre",
                        "name_fa": "متر مربع",
                    },
                    "relatedLot": "1",
                },
                {
                    "id": str(item_ids[1]),
                    "description": "Asphalt concrete",
                    "quantity": 9500.5,
                    "unit": {"scheme": "UNCEFACT", "id": "TNE", "name": "tonne", "name_fa": "تن"},
                    "relatedLot": "1",
                    "classification": {"scheme": "CPV", "id": "44113620-7"},
                },
            ],
            "lots": [
                {
                    "id": "1",
                    "title": "Section 1",
                    "status": "active",
                    "value": {"amount": 60000000000, "currency": "IRR"},
                }
            ],
            "value": {"amount": 125000000000, "currency": "IRR"},
            "procurementMethod": "open",
            "procurementMethodDetails": "Open tender",
            "mainProcurementCategory": "works",
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": {
                "startDate": "2029-06-01T09:00:00Z",
                "endDate": "2029-07-06T09:00:00Z",
            },
            "enquiryPeriod": {
                "startDate": "2029-06-01T09:00:00Z",
                "endDate": "2029-06-21T09:00:00Z",
            },
            "hasEnquiries": False,
            "sealingKeys": [
                {"kind": "single", "publicKey": key.public_key, "fingerprint": key.fingerprint}
            ],
            "eligibilityCriteria": "No conflict of interest",
        },
    }
    _valid(release)


@pytest.mark.parametrize(
    ("method", "expected"), [("open", "open"), ("restricted", "selective"), ("rfq", "limited")]
)
def test_the_procurement_method_maps_to_the_ocds_codelist(method, expected):
    # given / when a tender of each method is published
    tender, _team = tender_in_state(
        "published",
        procurement_method=method,
        additional_cpv_codes=["45000000-7"],
    )

    # then its method is in the closed codelist, and extra CPV codes are classifications
    release = Release.objects.get(tender=tender)
    assert release.data["tender"]["procurementMethod"] == expected
    assert release.data["tender"]["items"][0]["additionalClassifications"] == [
        {"scheme": "CPV", "id": "45000000-7"}
    ]
    _valid(release)


def test_an_amendment_produces_a_tender_amendment_release():
    # given a published tender
    tender, team = tender_in_state("published")
    new_deadline = SUBMISSION_DEADLINE + 7 * 24 * HOUR

    # when its officer amends it
    amendment = services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Deadline extended",
        changes={"submission_deadline": new_deadline, "opening_at": new_deadline + HOUR},
        notice="Bidders asked for more time.",
    )

    # then a second release carries the change and the amendment, linked to itself
    release = Release.objects.get(sequence=2)
    assert release.tag == "tenderAmendment"
    assert release.amendment == amendment
    assert release.data["tag"] == ["tenderAmendment"]
    assert release.data["tender"]["tenderPeriod"]["endDate"] == "2029-07-13T09:00:00Z"
    assert release.data["tender"]["amendments"] == [
        {
            "id": "1",
            "date": "2029-06-01T09:00:00Z",
            "rationale": "Deadline extended",
            "description": "Bidders asked for more time.",
            "releaseID": f"{tender.ocid}-0002-tenderAmendment",
        }
    ]
    _valid(release)


def test_a_cancellation_produces_a_tender_cancellation_release():
    # given a published tender
    tender, team = tender_in_state("published")

    # when it is cancelled
    services.tender_cancel(actor=team.officer, tender=tender, reason="Budget withdrawn")

    # then the release says so
    release = Release.objects.get(sequence=2)
    assert release.data["tag"] == ["tenderCancellation"]
    assert release.data["tender"]["status"] == "cancelled"
    _valid(release)


def test_a_draft_cancelled_before_publication_has_no_open_data():
    # given / when a draft is cancelled
    tender_in_state("cancelled")

    # then no release exists: it was never public
    assert not Release.objects.exists()


def test_closing_and_failure_produce_tender_updates():
    # given / when a tender closes at its deadline, then is declared unsuccessful
    tender, _team = tender_in_state("unsuccessful")

    # then each left a tenderUpdate release, with the status at that moment
    releases = list(Release.objects.filter(tender=tender).order_by("sequence"))
    assert [(r.tag, r.data["tender"]["status"]) for r in releases] == [
        ("tender", "active"),
        ("tenderUpdate", "active"),
        ("tenderUpdate", "unsuccessful"),
    ]
    for release in releases:
        _valid(release)


def test_an_outage_extension_produces_a_tender_amendment_release():
    # given a tender whose deadline fell inside an outage
    tender, _team = tender_in_state("published")
    admin = outsider(Role.PLATFORM_ADMIN)
    start = SUBMISSION_DEADLINE - HOUR
    end = SUBMISSION_DEADLINE + HOUR

    # when the outage is recorded after it
    with frozen_at(end + HOUR):
        services.outage_record(actor=admin, starts_at=start, ends_at=end, reason="Power cut")

    # then the extension is an amendment release with the new deadline
    release = Release.objects.get(tender=tender, sequence=2)
    assert release.tag == "tenderAmendment"
    assert release.date == end + HOUR
    new_deadline = SUBMISSION_DEADLINE + 2 * HOUR + datetime.timedelta(hours=2)
    assert release.data["tender"]["tenderPeriod"]["endDate"] == (
        new_deadline.isoformat().replace("+00:00", "Z")
    )
    _valid(release)


def test_a_refused_amendment_writes_no_release(nothing_written):
    # given a published tender
    tender, team = tender_in_state("published")
    events = Event.objects.count()

    # when the approver (not an officer) tries to amend it
    with nothing_written(), pytest.raises(TenderNotAllowed) as refusal:
        services.tender_amend(
            actor=team.approver, tender=tender, summary="x", changes={"title": "Other"}
        )

    # then it is refused and no release was added
    assert refusal.value.code == "api.permission_denied"
    assert Release.objects.count() == 1
    assert Event.objects.count() == events


def test_the_tender_documents_are_in_the_release_with_their_hash(tmp_path, settings):
    # given a draft with one document, submitted
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://panjere.example"
    tender, team = tender_in_state("draft")
    document = services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specifications", uploaded=pdf()
    )
    services.tender_submit_for_approval(actor=team.officer, tender=tender)

    # when it is published
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then its release lists the document, valid OCDS
    release = Release.objects.get()
    assert release.data["tender"]["documents"] == [
        {
            "id": f"doc-{document.pk}",
            "documentType": "biddingDocuments",
            "title": "Specifications (version 1)",
            "description": f"SHA-256: {hashlib.sha256(PDF).hexdigest()}",
            "url": (
                f"https://panjere.example/buyer/tenders/{tender.pk}/documents/"
                f"{document.pk}/download/"
            ),
            "datePublished": "2029-06-01T09:00:00Z",
            "format": "application/pdf",
        }
    ]
    _valid(release)


def test_a_published_answer_is_a_tender_update_with_enquiries():
    # given a published tender with a question from a verified supplier
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    clarification = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Night work?"
    )

    # when the officer answers it
    services.clarification_answer(actor=team.officer, clarification=clarification, answer="Yes.")

    # then a tenderUpdate release says the tender has enquiries
    release = Release.objects.get(tender=tender, sequence=2)
    assert release.data["tag"] == ["tenderUpdate"]
    assert release.data["tender"]["hasEnquiries"] is True
    _valid(release)


def test_a_two_lot_tender_publishes_its_lots_and_each_items_lot():
    # given a draft with two lots, the second with a Persian title and a description
    tender, team = tender_in_state("draft")
    services.lot_add(
        actor=team.officer,
        tender=tender,
        title="Bridges",
        title_fa="تعمیر پل",
        description="Repair of two bridges.",
        estimated_value=Money(Decimal("2500000.50"), "IRR"),
        bid_security=Money(Decimal("50000.00"), "IRR"),
        items=[{"description": "Expansion joint", "quantity": Decimal("4"), "unit": "pcs"}],
    )
    services.tender_submit_for_approval(actor=team.officer, tender=tender)

    # when it is published
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then the release lists both lots (lots extension) and ties every lot item to its lot
    release = Release.objects.get()
    assert release.data["tender"]["lots"] == [
        {
            "id": "1",
            "title": "Section 1",
            "status": "active",
            "value": {"amount": Decimal("60000000000.00"), "currency": "IRR"},
        },
        {
            "id": "2",
            "title": "Bridges",
            "title_fa": "تعمیر پل",
            "description": "Repair of two bridges.",
            "status": "active",
            "value": {"amount": Decimal("2500000.50"), "currency": "IRR"},
        },
    ]
    assert [(item["id"], item.get("relatedLot")) for item in release.data["tender"]["items"]] == [
        ("0", None),
        *((str(pk), "1") for pk in Item.objects.filter(lot__number=1).values_list("pk", flat=True)),
        *((str(pk), "2") for pk in Item.objects.filter(lot__number=2).values_list("pk", flat=True)),
    ]
    _valid(release)


def test_a_cancelled_tenders_lots_are_cancelled_too():
    # given a published tender
    tender, team = tender_in_state("published")

    # when it is cancelled
    services.tender_cancel(actor=team.officer, tender=tender, reason="Budget withdrawn")

    # then its lots say so as well
    release = Release.objects.get(sequence=2)
    assert [lot["status"] for lot in release.data["tender"]["lots"]] == ["cancelled"]
    _valid(release)


def test_the_validation_applies_the_lots_extension():
    # given a published tender's release, spoilt in the lots extension's fields only
    tender_in_state("published")
    data = copy.deepcopy(Release.objects.get().data)
    data["tender"]["lots"][0]["status"] = "open"
    data["tender"]["items"][1]["relatedLot"] = 1
    package = {**ocds.release_package([], uri="https://example.org/p"), "releases": [data]}

    # when / then the patched schema refuses both (the core schema alone knows neither)
    assert sorted(errors(package, "release-package-schema.json")) == [
        "releases/0/tender/items/1/relatedLot: 1 is not of type 'string', 'null'",
        "releases/0/tender/lots/0/status: 'open' is not one of "
        "['planning', 'planned', 'active', 'cancelled', 'unsuccessful', 'complete', "
        "'withdrawn', None]",
    ]


def test_amounts_are_exact_json_numbers_in_their_currency(client):
    # given a published tender whose lot has an amount no binary float can hold
    tender, team = tender_in_state("draft")
    services.lot_add(
        actor=team.officer,
        tender=tender,
        title="Tunnels",
        estimated_value=Money("9876543210123.45", "IRR"),
        items=[{"description": "Tunnel lining", "quantity": Decimal("1250.125"), "unit": "m"}],
    )
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # when the release is read back, and served
    release = Release.objects.get()
    body = client.get(f"/api/v1/ocds/releases/{release.release_id}/").content.decode()

    # then the amount is a number, written with every digit (float(...) would give
    # 9876543210123.451); the stored release reads it back as that Decimal
    assert release.data["tender"]["lots"][1]["value"] == {
        "amount": Decimal("9876543210123.45"),
        "currency": "IRR",
    }
    assert '"value":{"amount":9876543210123.45,"currency":"IRR"}' in body
    assert '"value":{"amount":125000000000.00,"currency":"IRR"}' in body
    assert '"quantity":1250.125,' in body
    _valid(release)


def test_a_tender_written_in_both_languages_publishes_both_and_stays_valid():
    # given a draft whose lot, item, declarations and document are in Persian beside English,
    # and a second lot written in Persian only
    tender, team = tender_in_state("draft")
    lot = tender.lots.get()
    services.tender_update(
        actor=team.officer,
        tender=tender,
        required_declarations_fa=["تعارض منافع ندارم"],
    )
    services.lot_update(actor=team.officer, lot=lot, description_fa="از کرج تا گچسر")
    persian_only = services.lot_add(
        actor=team.officer,
        tender=tender,
        title_fa="پل‌ها",
        estimated_value=Money("1000", "IRR"),
        items=[{"description_fa": "تعمیر عرشه", "quantity": "3", "unit": "عدد"}],
    )

    # when it is published
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # then the release carries each variant beside its English field, and is valid
    release = Release.objects.get(tender=tender)
    data = release.data["tender"]
    assert data["eligibilityCriteria_fa"] == "تعارض منافع ندارم"
    assert data["lots"][0]["description_fa"] == "از کرج تا گچسر"
    assert {key: data["lots"][1][key] for key in ("id", "title_fa")} == {
        "id": "2",
        "title_fa": "پل‌ها",
    }
    assert "title" not in data["lots"][1]
    item = next(i for i in data["items"] if i.get("relatedLot") == "2")
    assert item == {
        "id": str(persian_only.items.get().pk),
        "description_fa": "تعمیر عرشه",
        "quantity": 3,
        "unit": {"scheme": "UNCEFACT", "id": "H87", "name": "piece", "name_fa": "عدد"},
        "relatedLot": "2",
    }


def test_a_two_envelope_tender_publishes_both_sealing_keys_and_stays_valid():
    # given a two-envelope tender, published
    tender, _team = tender_in_state(
        "published",
        envelope_scheme="two",
        evaluation_method="qcbs",
        evaluation_config={
            "criteria": [{"name": "Experience", "weight": "100"}],
            "technical_threshold": "70",
        },
    )

    # then its release lists the technical key, then the financial one, and is valid OCDS
    release = Release.objects.get(tender=tender)
    technical = tender.sealing_keys.get(kind="technical")
    financial = tender.sealing_keys.get(kind="financial")
    assert release.data["tender"]["sealingKeys"] == [
        {
            "kind": "technical",
            "publicKey": technical.public_key,
            "fingerprint": technical.fingerprint,
        },
        {
            "kind": "financial",
            "publicKey": financial.public_key,
            "fingerprint": financial.fingerprint,
        },
    ]
    _valid(release)
