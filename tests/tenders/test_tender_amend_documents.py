"""Amendments that change the tender documents: a new document, a new version, a withdrawal.

After publication the documents change only through an amendment: numbered,
public, material (the minimum period before the deadline applies), notified
to the followers, in the OCDS release; every version stays downloadable.
"""

import hashlib

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from core.storage import private_storage
from tenders import ocds, services
from tenders.exceptions import (
    InvalidTenderField,
    MaterialAmendmentTooLate,
    TenderDocumentRejected,
    TenderInvalidTransition,
    TenderNotAllowed,
    UnknownTenderDocument,
)
from tenders.models import Release, Tender, TenderDocument
from tenders.services import amendments
from tests.suppliers.factories import PDF, PNG, pdf

from .factories import (
    DAY,
    NOW,
    OPENING_AT,
    SUBMISSION_DEADLINE,
    outsider,
    plain_user,
    tender_in_state,
)
from .factories import draft_tender as _draft_tender
from .ocds_validation import codelist_errors, errors

pytestmark = pytest.mark.django_db

PDF_V2 = PDF + b"% the second version\n"
SHA_V1 = hashlib.sha256(PDF).hexdigest()
SHA_V2 = hashlib.sha256(PDF_V2).hexdigest()
SHA_PNG = hashlib.sha256(PNG).hexdigest()


def published_with_specifications():
    """A published tender whose draft had "Specifications" version 1, and its team."""
    tender, team = _draft_tender()
    services.tender_document_upload(
        actor=team.officer, tender=tender, title="Specifications", uploaded=pdf("specs.pdf")
    )
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    return Tender.objects.get(pk=tender.pk), team


def stored_files(tender) -> set[str]:
    """The names of the files the private storage holds for `tender`."""
    try:
        _folders, files = private_storage.listdir(f"tenders/{tender.pk}")
    except FileNotFoundError:
        return set()
    return set(files)


def png(name="drawing.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def test_an_amendment_adds_a_document_and_a_new_version_and_tells_the_followers():
    # given a published tender with "Specifications" v1 and a follower
    tender, team = published_with_specifications()
    follower = plain_user()
    services.tender_follow(actor=follower, tender=tender)

    # when, ten days later, the officer publishes a new version and a new drawing
    with frozen_at(NOW + 10 * DAY):
        amendment = services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="Revised specifications and a site drawing",
            documents=[
                ("Specifications", pdf("specs-v2.pdf", PDF_V2)),
                ("Site drawing", png()),
            ],
        )

    # then the amendment is material and its diff lists both, with their SHA-256
    assert amendment.number == 1
    assert amendment.material is True
    assert amendment.changes == {
        "documents": [
            {
                "change": "new_version",
                "title": "Specifications",
                "version": 2,
                "original_name": "specs-v2.pdf",
                "size": len(PDF_V2),
                "sha256": SHA_V2,
            },
            {
                "change": "added",
                "title": "Site drawing",
                "version": 1,
                "original_name": "drawing.png",
                "size": len(PNG),
                "sha256": SHA_PNG,
            },
        ]
    }
    # the old version is kept, the new one current, both by title and version
    rows = {(d.title, d.version): d for d in TenderDocument.objects.filter(tender=tender)}
    assert sorted(rows) == [("Site drawing", 1), ("Specifications", 1), ("Specifications", 2)]
    old, new, drawing = (
        rows[("Specifications", 1)],
        rows[("Specifications", 2)],
        rows[("Site drawing", 1)],
    )
    assert (old.is_current, old.amendment, old.withdrawn_by_amendment) == (False, None, None)
    assert (new.is_current, new.amendment, new.sha256, new.size) == (
        True,
        amendment,
        SHA_V2,
        len(PDF_V2),
    )
    assert (new.created_at, new.uploaded_by, new.content_type) == (
        NOW + 10 * DAY,
        team.officer,
        "application/pdf",
    )
    assert new.file.read() == PDF_V2
    assert (drawing.is_current, drawing.amendment, drawing.content_type) == (
        True,
        amendment,
        "image/png",
    )
    # one audit event lists the documents
    event = Event.objects.get(action="tender.amended")
    assert event.reason == "Revised specifications and a site drawing"
    assert event.payload == {
        "amendment_id": amendment.pk,
        "number": 1,
        "material": True,
        "changes": amendment.changes,
        "documents": [
            {"document_id": new.pk, **amendment.changes["documents"][0]},
            {"document_id": drawing.pk, **amendment.changes["documents"][1]},
        ],
    }
    # and the follower is told
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert message.payload["kind"] == "tender.amended"
    assert message.payload["recipients"] == [follower.pk]
    assert message.payload["params"]["summary"] == "Revised specifications and a site drawing"


def test_a_withdrawn_document_stays_in_the_history_marked_by_its_amendment():
    # given a published tender with "Specifications" v1
    tender, team = published_with_specifications()
    first = services.tender_amend(
        actor=team.officer, tender=tender, summary="Drawing", documents=[("Drawing", png())]
    )

    # when amendment 2 withdraws the specifications
    second = services.tender_amend(
        actor=team.officer, tender=tender, summary="Specs withdrawn", withdraw=["Specifications"]
    )

    # then the version is no longer current, marked withdrawn by amendment 2
    specifications = TenderDocument.objects.get(tender=tender, title="Specifications")
    assert (specifications.version, specifications.is_current) == (1, False)
    assert specifications.withdrawn_by_amendment == second
    assert second.material is True
    assert second.changes == {
        "documents": [
            {
                "change": "withdrawn",
                "title": "Specifications",
                "version": 1,
                "original_name": "specs.pdf",
                "size": len(PDF),
                "sha256": SHA_V1,
            }
        ]
    }
    assert Event.objects.filter(action="tender.amended").latest("seq").payload["documents"] == [
        {"document_id": specifications.pk, **second.changes["documents"][0]}
    ]
    assert TenderDocument.objects.get(tender=tender, title="Drawing").amendment == first


def test_a_withdrawn_title_can_come_back_as_its_next_version():
    # given "Specifications" v1 withdrawn
    tender, team = published_with_specifications()
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Withdrawn", withdraw=["Specifications"]
    )

    # when a later amendment publishes the title again
    amendment = services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Back",
        documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2))],
    )

    # then it is version 2, "added" again (no version was current)
    assert amendment.changes["documents"][0]["change"] == "added"
    assert list(
        TenderDocument.objects.filter(tender=tender).values_list("version", "is_current")
    ) == [(2, True), (1, False)]


def test_anyone_downloads_every_version_once_public(client):
    # given v1 (draft upload), v2 (amendment 1), then v2 withdrawn (amendment 2)
    tender, team = published_with_specifications()
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="v2",
        documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2))],
    )
    services.tender_amend(
        actor=team.officer, tender=tender, summary="Out", withdraw=["Specifications"]
    )

    # when anybody downloads each version
    contents = []
    for document in TenderDocument.objects.filter(tender=tender).order_by("version"):
        url = reverse("tender_admin:document_download", args=[tender.pk, document.pk])
        response = client.get(url)
        assert response.status_code == 200
        contents.append(b"".join(response.streaming_content))

    # then each version is as it was uploaded
    assert contents == [PDF, PDF_V2]


def test_the_amendment_release_carries_the_documents_and_is_valid(settings):
    # given a published tender with "Specifications" v1
    settings.SITE_URL = "https://panjere.example"
    tender, team = published_with_specifications()

    # when a new version, then a withdrawal, are published
    first = services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="v2",
        documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2))],
    )
    with frozen_at(NOW + DAY):
        second = services.tender_amend(
            actor=team.officer, tender=tender, summary="Out", withdraw=["Specifications"]
        )

    # then each amendment's release lists every version, valid OCDS
    v1, v2 = TenderDocument.objects.filter(tender=tender).order_by("version")

    def url(document):
        return (
            f"https://panjere.example/buyer/tenders/{tender.pk}/documents/{document.pk}/download/"
        )

    release = Release.objects.get(amendment=first)
    assert release.tag == "tenderAmendment"
    assert release.data["tender"]["documents"] == [
        {
            "id": f"doc-{v1.pk}",
            "documentType": "biddingDocuments",
            "title": "Specifications (version 1)",
            "description": f"SHA-256: {SHA_V1}",
            "url": url(v1),
            "datePublished": "2029-06-01T09:00:00Z",
            "format": "application/pdf",
        },
        {
            "id": f"doc-{v2.pk}",
            "documentType": "biddingDocuments",
            "title": "Specifications (version 2)",
            "description": f"SHA-256: {SHA_V2}; published by amendment 1",
            "url": url(v2),
            "datePublished": "2029-06-01T09:00:00Z",
            "format": "application/pdf",
        },
    ]
    withdrawn = Release.objects.get(amendment=second).data["tender"]["documents"][1]
    assert withdrawn["description"] == (
        f"SHA-256: {SHA_V2}; published by amendment 1; withdrawn by amendment 2"
    )
    assert withdrawn["dateModified"] == "2029-06-02T09:00:00Z"
    for release in Release.objects.filter(tender=tender):
        package = ocds.release_package([release], uri="https://example.org/p.json")
        assert errors(package, "release-package-schema.json") == []
        assert codelist_errors(release.data) == []


# --- material ---------------------------------------------------------------------------------


def test_a_document_change_is_material_even_when_not_said(nothing_written):
    # given a deadline five days away
    tender, team = published_with_specifications()

    files = stored_files(tender)

    # when / then: a new version without extending the deadline is refused
    with (
        frozen_at(NOW + 30 * DAY),
        nothing_written(),
        pytest.raises(MaterialAmendmentTooLate) as raised,
    ):
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="v2",
            material=False,
            documents=[("Specifications", pdf("specs-v2.pdf", PDF_V2))],
        )
    assert raised.value.field == "submission_deadline"
    assert stored_files(tender) == files


def test_a_withdrawal_close_to_the_deadline_must_extend_it():
    # given a deadline five days away
    tender, team = published_with_specifications()

    # when the same amendment moves the deadline seven days from now
    with frozen_at(NOW + 30 * DAY):
        amendment = services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="Specifications withdrawn; deadline extended",
            changes={"submission_deadline": NOW + 37 * DAY, "opening_at": NOW + 37 * DAY},
            withdraw=["Specifications"],
        )

    # then it is accepted, material
    assert amendment.material is True
    assert sorted(amendment.changes) == ["documents", "opening_at", "submission_deadline"]
    assert Tender.objects.get(pk=tender.pk).submission_deadline == NOW + 37 * DAY


# --- refusals: nothing is left ------------------------------------------------------------------


def test_a_refused_file_leaves_nothing(nothing_written):
    # given
    tender, team = published_with_specifications()

    files = stored_files(tender)

    # when / then: the second file is no PDF or image
    with nothing_written(), pytest.raises(TenderDocumentRejected) as raised:
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="Two documents",
            documents=[
                ("Drawing", png()),
                ("Bill of quantities", pdf("boq.pdf", b"MZ\x90\x00 not a pdf")),
            ],
        )
    assert raised.value.field == "documents.1.file"
    assert stored_files(tender) == files
    assert not Release.objects.filter(tender=tender, tag="tenderAmendment").exists()


def test_a_failure_after_the_files_are_stored_removes_them(monkeypatch, nothing_written):
    # given a failure at the very end of the amending transaction (the notification)
    tender, team = published_with_specifications()

    def broken(*args, **kwargs):
        raise RuntimeError("notifications are down")

    monkeypatch.setattr(amendments, "notify_tender", broken)

    files = stored_files(tender)

    # when / then the amendment fails, and its stored files are gone too
    with nothing_written(), pytest.raises(RuntimeError):
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="Drawing",
            documents=[("Drawing", png()), ("Specifications", pdf("v2.pdf", PDF_V2))],
        )
    assert stored_files(tender) == files


def test_withdrawing_a_title_that_is_not_current_is_refused(nothing_written):
    # given
    tender, team = published_with_specifications()

    # when / then
    with nothing_written(), pytest.raises(UnknownTenderDocument) as raised:
        services.tender_amend(actor=team.officer, tender=tender, summary="Out", withdraw=["Specs"])
    assert (raised.value.code, raised.value.field) == ("tender.unknown_document", "withdraw")
    assert str(raised.value) == "The tender has no current document titled “Specs”."


@pytest.mark.parametrize(
    ("documents", "withdraw", "field"),
    [
        ([("Drawing", None), ("Drawing", None)], [], "documents.1.title"),
        ([(" ", None)], [], "documents.0.title"),
        ([("Specifications", None)], ["Specifications"], "withdraw"),
    ],
)
def test_contradictory_or_untitled_documents_are_refused(
    documents, withdraw, field, nothing_written
):
    # given
    tender, team = published_with_specifications()

    files = stored_files(tender)

    # when / then
    with nothing_written(), pytest.raises(InvalidTenderField) as raised:
        services.tender_amend(
            actor=team.officer,
            tender=tender,
            summary="S",
            documents=[(title, png()) for title, _file in documents],
            withdraw=withdraw,
        )
    assert raised.value.field == field
    assert stored_files(tender) == files


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "closed", "cancelled"])
def test_only_a_published_tender_gets_documents_by_amendment(state, nothing_written):
    # given
    tender, team = tender_in_state(state)

    files = stored_files(tender)

    # when / then
    with nothing_written(), pytest.raises(TenderInvalidTransition):
        services.tender_amend(
            actor=team.officer, tender=tender, summary="S", documents=[("Drawing", png())]
        )
    assert stored_files(tender) == files


@pytest.mark.parametrize("who", ["approver", "other_buyers_officer", "supplier", "plain_user"])
def test_only_the_buyers_officers_amend_the_documents(who, nothing_written):
    # given
    tender, team = published_with_specifications()
    actor = {
        "approver": lambda: team.approver,
        "other_buyers_officer": lambda: outsider(Role.PROCUREMENT_OFFICER),
        "supplier": lambda: outsider(Role.SUPPLIER_ADMIN),
        "plain_user": plain_user,
    }[who]()

    files = stored_files(tender)

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_amend(
            actor=actor,
            tender=tender,
            summary="S",
            documents=[("Drawing", png())],
            withdraw=["Specifications"],
        )
    assert stored_files(tender) == files


def test_fields_and_documents_change_in_one_amendment():
    # given
    tender, team = published_with_specifications()

    # when
    amendment = services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Later, with a drawing",
        changes={
            "submission_deadline": SUBMISSION_DEADLINE + 7 * DAY,
            "opening_at": OPENING_AT + 7 * DAY,
        },
        documents=[("Drawing", png())],
    )

    # then one amendment, one event, one release
    assert sorted(amendment.changes) == ["documents", "opening_at", "submission_deadline"]
    assert Event.objects.filter(action="tender.amended").count() == 1
    assert Release.objects.filter(amendment=amendment).count() == 1
