"""The demo suppliers: one or more in each state, made through the services, loaded once."""

import io
import re

import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from audit.models import Event
from core.models import OutboxMessage
from suppliers.demo import demo_pdf, load_demo_suppliers
from suppliers.models import ChangeRequest, Supplier, SupplierDocument
from suppliers.selectors import supplier_eligibility

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts():
    call_command("demo_data", accounts_only=True, stdout=io.StringIO())


def counts():
    return (
        Supplier.objects.count(),
        SupplierDocument.objects.count(),
        Event.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_the_demo_has_suppliers_in_each_state(demo_accounts):
    # when
    out = io.StringIO()
    users = load_demo_suppliers(stdout=out)

    # then
    states = dict(Supplier.objects.values_list("legal_name", "state"))
    assert states == {
        "Kavir Solar Systems Co.": "draft",
        "Caspian Builders Co.": "submitted",
        "Anatolia Medical Supplies Ltd.": "submitted",
        "Pars IT Services Co.": "changes_requested",
        "Sepahan Steel Structures Co.": "verified",
        "Tabriz Cables and Wires Co.": "suspended",
        "Golestan General Trading Co.": "debarred",
    }
    assert [user.email for user in users] == [
        "admin@kavir-solar.example",
        "admin@caspian-build.example",
        "admin@anatolia-med.example",
        "admin@pars-it.example",
        "admin@sepahan-steel.example",
        "admin@tabriz-cables.example",
        "admin@golestan-trading.example",
    ]
    for user in users:
        assert check_password(DEMO_PASSWORD, user.password)
        assert user.email_verified
    assert DEMO_PASSWORD == "panjere-demo"
    # documents: 2 for the draft, 3 for each of the others
    assert SupplierDocument.objects.count() == 2 + 6 * 3
    assert out.getvalue().count("Demo supplier:") == 7
    # every step is on the record, by the demo officer and the oversight body
    debarred = Supplier.objects.get(state="debarred")
    actions = list(
        Event.objects.filter(object_type="suppliers.supplier", object_id=str(debarred.pk))
        .order_by("seq")
        .values_list("action", "actor__email")
    )
    assert actions == [
        ("supplier.registered", "admin@golestan-trading.example"),
        ("supplier.document_uploaded", "admin@golestan-trading.example"),
        ("supplier.document_uploaded", "admin@golestan-trading.example"),
        ("supplier.document_uploaded", "admin@golestan-trading.example"),
        ("supplier.submitted", "admin@golestan-trading.example"),
        ("supplier.verified", "verifier@ppa.example"),
        ("supplier.debarred", "admin@ppa.example"),
    ]
    changes = ChangeRequest.objects.get(supplier__state="changes_requested")
    assert changes.items.count() == 2
    # the verified one may bid, with a tax clearance expiring soon
    verified = Supplier.objects.get(state="verified")
    assert supplier_eligibility(verified).eligible is True


def test_loading_twice_changes_nothing(demo_accounts):
    # given
    first = load_demo_suppliers()
    before = counts()

    # when
    again = load_demo_suppliers()

    # then
    assert counts() == before
    assert [u.pk for u in again] == [u.pk for u in first]


def test_the_demo_needs_the_demo_accounts():
    with pytest.raises(RuntimeError, match="load the demo accounts"):
        load_demo_suppliers()
    assert Supplier.objects.count() == 0


def test_the_demo_pdf_is_a_well_formed_pdf():
    data = demo_pdf("Caspian Builders Co.", "Tax (clearance)")

    assert data.startswith(b"%PDF-1.4\n")
    assert data.endswith(b"%%EOF\n")
    # every cross-reference offset points at its object
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
    assert data[startxref:].startswith(b"xref\n0 6\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", data)
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj" % number)
    assert b"(Tax \\(clearance\\)) '" in data
