# ruff: noqa: RUF001 -- Persian digits are the point of these tests.
"""In Persian, a supplier types a document's dates in Jalali; an officer the end of a debarment."""

import datetime

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import SupplierDocument
from tests.factories import login

from .factories import pdf, registered_supplier

pytestmark = pytest.mark.django_db


def _counts():
    return SupplierDocument.objects.count(), Event.objects.count(), OutboxMessage.objects.count()


@pytest.fixture
def persian_supplier(client):
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    return client, supplier


def test_a_document_dated_in_jalali_is_stored_with_its_gregorian_days(persian_supplier):
    client, supplier = persian_supplier

    response = client.post(
        reverse("suppliers:step_documents", args=[supplier.pk]),
        {
            "kind": "tax_clearance",
            "issued_on": "۱۴۰۴/۱۰/۲۰",
            "expires_on": "1408/10/12",
            "file": pdf(),
        },
    )

    assert response.status_code == 302
    document = SupplierDocument.objects.get(supplier=supplier)
    assert (document.issued_on, document.expires_on) == (
        datetime.date(2026, 1, 10),
        datetime.date(2030, 1, 1),
    )


def test_a_date_missing_from_the_jalali_calendar_is_refused_and_nothing_saved(persian_supplier):
    client, supplier = persian_supplier
    before = _counts()

    response = client.post(
        reverse("suppliers:step_documents", args=[supplier.pk]),
        {"kind": "tax_clearance", "issued_on": "۱۴۰۴/۰۷/۳۱", "expires_on": "", "file": pdf()},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "issued_on": [
            "«۱۴۰۴/۰۷/۳۱» در گاه‌شمار خورشیدی تاریخ نیست. آن را به شکل ۱۴۰۵/۰۹/۱۲ بنویسید."
        ]
    }
    assert _counts() == before
