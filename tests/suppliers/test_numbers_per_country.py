"""Phone numbers, postal codes and registration numbers are checked for the company's country."""

import pytest
from django.urls import reverse

from audit.models import Event
from core.models import OutboxMessage
from suppliers.models import Supplier
from tests.factories import login

from .factories import registered_supplier

pytestmark = pytest.mark.django_db

ADDRESS = {
    "address_line": "12 Valiasr Street",
    "city": "Tehran",
    "postal_code": "1411713111",
    "contact_email": "office@alborz.example",
    "contact_phone": "+982188776655",
    "website": "",
}
COMPANY = {
    "legal_name": "Alborz Road Builders Co.",
    "legal_name_fa": "",
    "registration_number": "10101234567",
    "tax_id": "411111111111",
    "country": "IR",
}


@pytest.fixture
def iranian(client):
    supplier, admin = registered_supplier(documents=False)
    login(client, admin)
    return client, supplier


def _written():
    return Event.objects.count(), OutboxMessage.objects.count()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+98 21 8877 6655", "+982188776655"),
        ("021 8877 6655", "+982188776655"),  # without the country code: Iran's
        ("۰۹۱۲ ۱۲۳ ۴۵۶۷", "+989121234567"),  # a mobile number in Persian digits
        ("+44 20 7946 0958", "+442079460958"),  # a London number stays London's
    ],
)
def test_a_phone_number_is_read_for_the_companys_country_and_stored_whole(iranian, typed, stored):
    client, supplier = iranian

    response = client.post(
        reverse("suppliers:step_address", args=[supplier.pk]),
        {**ADDRESS, "contact_phone": typed},
    )

    assert response.status_code == 302
    assert Supplier.objects.get(pk=supplier.pk).contact_phone == stored


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        (
            "contact_phone",
            "12345",
            "Enter a phone number that can be called, e.g. +98 21 8877 6655.",
        ),
        ("postal_code", "14117", "An Iranian postal code has 10 digits, e.g. 1411713111."),
    ],
)
def test_a_number_that_cannot_be_right_is_refused_on_its_field(iranian, field, typed, error):
    client, supplier = iranian
    before, stored = _written(), Supplier.objects.values().get(pk=supplier.pk)

    response = client.post(
        reverse("suppliers:step_address", args=[supplier.pk]), {**ADDRESS, field: typed}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [error]}
    assert _written() == before
    assert Supplier.objects.values().get(pk=supplier.pk) == stored


def test_an_iranian_postal_code_may_be_written_with_its_dash(iranian):
    client, supplier = iranian

    client.post(
        reverse("suppliers:step_address", args=[supplier.pk]),
        {**ADDRESS, "postal_code": "۱۴۱۱۷-۱۳۱۱۱"},
    )

    assert Supplier.objects.get(pk=supplier.pk).postal_code == "1411713111"


def test_an_iranian_registration_number_is_the_11_digit_national_id(iranian):
    client, supplier = iranian
    before, stored = _written(), Supplier.objects.values().get(pk=supplier.pk)

    response = client.post(
        reverse("suppliers:step_company", args=[supplier.pk]),
        {**COMPANY, "registration_number": "12345"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "registration_number": [
            "An Iranian company's registration number is its national ID: 11 digits, "
            "e.g. 10101234567."
        ]
    }
    assert _written() == before
    assert Supplier.objects.values().get(pk=supplier.pk) == stored


def test_another_countrys_registration_number_keeps_its_own_shape(iranian):
    client, supplier = iranian

    response = client.post(
        reverse("suppliers:step_company", args=[supplier.pk]),
        {**COMPANY, "country": "DE", "registration_number": "HRB 12345"},
    )

    assert response.status_code == 302
    assert Supplier.objects.get(pk=supplier.pk).registration_number == "HRB 12345"
