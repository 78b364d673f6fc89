"""Uploading a supplier document: versions kept, bad files refused with nothing saved."""

import datetime
import hashlib

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import Event
from core.models import OutboxMessage
from suppliers import services
from suppliers.exceptions import DocumentRejected, NotEditable, SupplierNotAllowed
from suppliers.models import SupplierDocument
from tests.factories import UserFactory

from .factories import PDF, PNG, pdf, registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2026, 2, 1)


def _stored_files(supplier):
    storage = storages["private"]
    folder = f"suppliers/{supplier.pk}"
    if not storage.exists(folder):
        return []
    return storage.listdir(folder)[1]


def test_upload_stores_a_version_under_a_generated_name():
    # given
    supplier, admin = registered_supplier(documents=False)

    # when
    document = services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=pdf("پروانه.pdf"),
        issued_on=ISSUED,
        expires_on=datetime.date(2027, 2, 1),
    )

    # then
    assert document.version == 1
    assert document.is_current is True
    assert document.original_name == "پروانه.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "پروانه" not in document.file.name
    assert document.file.name.startswith(f"suppliers/{supplier.pk}/")
    assert document.file.read() == PDF
    event = Event.objects.get(action="supplier.document_uploaded")
    assert event.payload == {
        "document_id": document.pk,
        "kind": "licence",
        "version": 1,
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "size": len(PDF),
        "content_type": "application/pdf",
        "issued_on": "2026-02-01",
        "expires_on": "2027-02-01",
    }


def test_a_new_version_keeps_the_old_one():
    # given
    supplier, admin = registered_supplier(documents=False)
    first = services.supplier_document_upload(
        actor=admin, supplier=supplier, kind="licence", uploaded=pdf(), issued_on=ISSUED
    )

    # when
    second = services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=SimpleUploadedFile("scan.png", PNG),
        issued_on=ISSUED,
    )

    # then
    first.refresh_from_db()
    assert (first.version, first.is_current) == (1, False)
    assert (second.version, second.is_current, second.content_type) == (2, True, "image/png")
    assert SupplierDocument.objects.filter(supplier=supplier, kind="licence").count() == 2


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXECUTABLE, "This type of file is not accepted."),
        ("empty.pdf", b"", "The file is empty."),
        ("..\\..\\boot.pdf", PDF, "The file name must not contain a folder path."),
        ("report\u202efdp.exe", PDF, "The file name contains invisible or direction-changing"),
        ("nul\x00.pdf", PDF, "The file name must not contain a folder path."),
        (".htaccess", PDF, "The file name must not contain a folder path."),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(name, content, message):
    # given
    supplier, admin = registered_supplier(documents=False)
    events, outbox = Event.objects.count(), OutboxMessage.objects.count()

    # when
    with pytest.raises(DocumentRejected) as raised:
        services.supplier_document_upload(
            actor=admin,
            supplier=supplier,
            kind="licence",
            uploaded=SimpleUploadedFile(name, content),
            issued_on=ISSUED,
        )

    # then
    assert raised.value.field == "file"
    assert str(raised.value).startswith(message)
    assert SupplierDocument.objects.filter(supplier=supplier).count() == 0
    assert _stored_files(supplier) == []
    assert (Event.objects.count(), OutboxMessage.objects.count()) == (events, outbox)


def test_oversize_file_is_refused(settings):
    # given
    settings.SUPPLIER_DOCUMENT_MAX_BYTES = 64
    supplier, admin = registered_supplier(documents=False)
    events = Event.objects.count()

    # when
    with pytest.raises(DocumentRejected) as raised:
        services.supplier_document_upload(
            actor=admin, supplier=supplier, kind="licence", uploaded=pdf(), issued_on=ISSUED
        )

    # then
    assert str(raised.value) == (f"The file is too large: {len(PDF)} bytes; the limit is 64 bytes.")
    assert SupplierDocument.objects.count() == 0
    assert Event.objects.count() == events


def test_a_stranger_cannot_upload():
    supplier, _admin = registered_supplier(documents=False)
    stranger = UserFactory()
    events = Event.objects.count()
    with pytest.raises(SupplierNotAllowed):
        services.supplier_document_upload(
            actor=stranger, supplier=supplier, kind="licence", uploaded=pdf(), issued_on=ISSUED
        )
    assert SupplierDocument.objects.count() == 0
    assert _stored_files(supplier) == []
    assert Event.objects.count() == events


def test_documents_cannot_change_while_under_review():
    supplier, admin, _reviewer = supplier_in_state("submitted")
    count = SupplierDocument.objects.count()
    with pytest.raises(NotEditable):
        services.supplier_document_upload(
            actor=admin, supplier=supplier, kind="licence", uploaded=pdf(), issued_on=ISSUED
        )
    assert SupplierDocument.objects.count() == count


def test_a_path_traversal_name_never_leaves_the_supplier_folder():
    # given: Django's upload handling reduces the name to its last part
    supplier, admin = registered_supplier(documents=False)

    # when
    document = services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="licence",
        uploaded=SimpleUploadedFile("../../etc/passwd.pdf", PDF),
        issued_on=ISSUED,
    )

    # then: the name is data only; the file lives under a generated name
    assert document.original_name == "passwd.pdf"
    assert document.file.name.startswith(f"suppliers/{supplier.pk}/")
    assert ".." not in document.file.name
    assert _stored_files(supplier) == [document.file.name.rsplit("/", 1)[1]]
