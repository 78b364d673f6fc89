"""The daily job: expiry warnings, lapsed required documents and ended debarments."""

import datetime

import pytest

from audit.models import Event
from core.models import OutboxMessage
from suppliers import services
from suppliers.models import Supplier, SupplierDocument, SupplierState
from suppliers.selectors import supplier_eligibility

from .factories import pdf, supplier_in_state

pytestmark = pytest.mark.django_db


def _verified_with_tax_clearance_expiring(on):
    supplier, admin, _reviewer = supplier_in_state("verified")
    services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="tax_clearance",
        uploaded=pdf(),
        issued_on=datetime.date(2026, 1, 1),
        expires_on=on,
    )
    return supplier, admin


def test_warns_once_about_a_document_expiring_within_30_days():
    # given
    supplier, _admin = _verified_with_tax_clearance_expiring(datetime.date(2027, 1, 30))
    outbox = OutboxMessage.objects.count()

    # when: 30 days before, then again the next day
    first = services.supplier_documents_sweep(today=datetime.date(2026, 12, 31))
    second = services.supplier_documents_sweep(today=datetime.date(2027, 1, 1))

    # then
    assert first == {"warned": 1, "expired": 0, "debarments_ended": 0}
    assert second == {"warned": 0, "expired": 0, "debarments_ended": 0}
    document = SupplierDocument.objects.get(
        supplier=supplier, kind="tax_clearance", is_current=True
    )
    assert document.expiry_warned_on == datetime.date(2026, 12, 31)
    event = Event.objects.get(action="supplier.document_expiry_warned")
    assert event.payload == {
        "document_id": document.pk,
        "kind": "tax_clearance",
        "version": 2,
        "expires_on": "2027-01-30",
    }
    message = OutboxMessage.objects.order_by("-pk").first()
    assert OutboxMessage.objects.count() == outbox + 1
    assert message.payload["kind"] == "supplier.document_expiring"
    assert message.payload["params"]["date"] == "2027-01-30"


def test_not_warned_31_days_before():
    _verified_with_tax_clearance_expiring(datetime.date(2027, 1, 31))
    assert services.supplier_documents_sweep(today=datetime.date(2026, 12, 31))["warned"] == 0


def test_an_expired_required_document_marks_the_supplier_until_renewed():
    # given
    supplier, admin = _verified_with_tax_clearance_expiring(datetime.date(2027, 1, 30))
    services.supplier_documents_sweep(today=datetime.date(2026, 12, 31))

    # when: the day after expiry, twice
    lapsed = services.supplier_documents_sweep(today=datetime.date(2027, 1, 31))
    again = services.supplier_documents_sweep(today=datetime.date(2027, 1, 31))

    # then
    assert lapsed["expired"] == 1
    assert again["expired"] == 0
    supplier.refresh_from_db()
    assert supplier.documents_expired_since == datetime.date(2027, 1, 31)
    event = Event.objects.get(action="supplier.documents_expired")
    assert event.payload == {"kinds": ["tax_clearance"]}
    assert event.actor is None
    eligibility = supplier_eligibility(supplier, today=datetime.date(2027, 1, 31))
    assert [r.code for r in eligibility.reasons] == ["supplier.document_expired"]

    # when: the supplier renews it
    services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="tax_clearance",
        uploaded=pdf("renewed.pdf"),
        issued_on=datetime.date(2026, 11, 1),
        expires_on=datetime.date(2028, 1, 30),
    )

    # then
    supplier.refresh_from_db()
    assert supplier.documents_expired_since is None
    renewed = Event.objects.get(action="supplier.documents_renewed")
    assert renewed.actor_user == admin
    assert renewed.payload == {"expired_since": "2027-01-31"}
    assert supplier_eligibility(supplier, today=datetime.date(2027, 1, 31)).eligible is True


def test_a_debarment_ends_on_its_end_date():
    # given
    supplier, _admin, _reviewer = supplier_in_state("verified")
    from .factories import oversight_admin

    services.supplier_debar(
        actor=oversight_admin(),
        supplier=supplier,
        reason="Fraud",
        until=datetime.date(2099, 6, 1),
    )

    # when
    before = services.supplier_documents_sweep(today=datetime.date(2099, 5, 31))
    on_the_day = services.supplier_documents_sweep(today=datetime.date(2099, 6, 1))

    # then
    assert before["debarments_ended"] == 0
    assert on_the_day["debarments_ended"] == 1
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert supplier.state == SupplierState.VERIFIED
    assert supplier.debarred_until is None
    event = Event.objects.get(action="supplier.debarment_ended")
    assert event.actor is None
    assert event.reason == "The debarment period has ended."
