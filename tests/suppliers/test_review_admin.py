"""The suppliers' admin: read-only; a registration changes only through the services."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role
from audit.models import Event
from suppliers.models import ChangeRequest, Supplier, SupplierDocument
from tests.factories import login, make_member

from .factories import supplier_in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    login(client, make_member(Role.PLATFORM_ADMIN, is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def supplier():
    supplier, _admin, _reviewer = supplier_in_state("changes_requested")
    return supplier


@pytest.mark.parametrize("model", ["supplier", "supplierdocument", "changerequest"])
def test_the_lists_and_pages_open_read_only(staff_client, supplier, model):
    # given
    obj = {
        "supplier": supplier,
        "supplierdocument": SupplierDocument.objects.filter(supplier=supplier).first(),
        "changerequest": ChangeRequest.objects.get(supplier=supplier),
    }[model]

    # when
    listing = staff_client.get(f"/admin/suppliers/{model}/")
    page = staff_client.get(f"/admin/suppliers/{model}/{obj.pk}/change/")

    # then
    assert listing.status_code == 200
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert listing.context["has_add_permission"] is False


def test_the_admin_cannot_change_add_or_delete(staff_client, supplier):
    # given
    before = Event.objects.count()

    # when
    change = staff_client.post(
        f"/admin/suppliers/supplier/{supplier.pk}/change/",
        {"legal_name": "Renamed", "state": "verified"},
    )
    add = staff_client.get("/admin/suppliers/supplier/add/")
    delete = staff_client.post(f"/admin/suppliers/supplier/{supplier.pk}/delete/", {"post": "yes"})

    # then
    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    supplier = Supplier.objects.get(pk=supplier.pk)
    assert (supplier.legal_name, supplier.state) == (
        "Alborz Road Builders Co.",
        "changes_requested",
    )
    assert Event.objects.count() == before


@pytest.mark.parametrize(("role", "status"), [(Role.AUDITOR, 200), (Role.BIDDER, 403)])
def test_who_sees_the_suppliers_in_the_admin(client, supplier, role, status):
    user = make_member(role, is_staff=True)
    # staff sign in with a second factor, whatever their role
    TOTPDevice.objects.get_or_create(user=user, defaults={"name": "app", "confirmed": True})
    login(client, user)

    assert client.get("/admin/suppliers/supplier/").status_code == status
