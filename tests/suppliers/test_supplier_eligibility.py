"""supplier_eligibility: whether a supplier may bid now, and every reason if not."""

import datetime

import pytest

from suppliers.selectors import supplier_eligibility

from .factories import registered_supplier, supplier_in_state

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 3, 1)


def test_a_verified_supplier_with_valid_documents_may_bid():
    supplier, _admin, _reviewer = supplier_in_state("verified")
    result = supplier_eligibility(supplier, today=TODAY)
    assert result.eligible is True
    assert result.reasons == []


@pytest.mark.parametrize(
    ("state", "code", "message"),
    [
        ("draft", "supplier.not_verified", "The registration is not verified yet."),
        ("submitted", "supplier.not_verified", "The registration is not verified yet."),
        ("changes_requested", "supplier.not_verified", "The registration is not verified yet."),
        ("suspended", "supplier.suspended", "The supplier is suspended."),
        ("debarred", "supplier.debarred", "The supplier is debarred until 1 January 2099."),
    ],
)
def test_state_reasons(state, code, message):
    supplier, _admin, _reviewer = supplier_in_state(state)
    result = supplier_eligibility(supplier, today=TODAY)
    assert result.eligible is False
    assert [(r.code, r.message) for r in result.reasons] == [(code, message)]


def test_every_missing_and_expired_document_is_a_reason():
    # given: a draft without documents, then one expired document
    supplier, admin = registered_supplier(documents=False)
    from suppliers import services

    from .factories import pdf

    services.supplier_document_upload(
        actor=admin,
        supplier=supplier,
        kind="tax_clearance",
        uploaded=pdf(),
        issued_on=datetime.date(2026, 1, 1),
        expires_on=datetime.date(2027, 2, 28),
    )

    # when
    result = supplier_eligibility(supplier, today=TODAY)

    # then
    assert [(r.code, r.message) for r in result.reasons] == [
        ("supplier.not_verified", "The registration is not verified yet."),
        (
            "supplier.document_missing",
            "The required document is missing: Registration certificate.",
        ),
        (
            "supplier.document_expired",
            "The required document expired on 28 February 2027: Tax clearance certificate.",
        ),
        (
            "supplier.document_missing",
            "The required document is missing: Social security clearance.",
        ),
    ]


def test_a_document_is_valid_on_its_expiry_day():
    supplier, _admin, _reviewer = supplier_in_state("verified")
    # the factory's documents expire on 2030-01-01
    assert supplier_eligibility(supplier, today=datetime.date(2030, 1, 1)).eligible is True
    assert supplier_eligibility(supplier, today=datetime.date(2030, 1, 2)).eligible is False
