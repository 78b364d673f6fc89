"""An erasure request blanks a person's name and e-mail on the record; the chain still verifies."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role
from audit.models import Event, Person
from audit.services import checkpoint_take, record
from audit.verification import verify_chain
from tests.factories import login, make_member

pytestmark = pytest.mark.django_db


def test_an_erased_person_leaves_every_hash_as_it_was(client):
    # given a person's actions on the record, and a checkpoint signed over them
    person = make_member(Role.SUPPLIER_ADMIN, email="leila@alborz.example", name="Leila Karimi")
    record(action="supplier.registered", actor=person, obj=person)
    record(action="user.logged_in", actor=person, obj=person)
    checkpoint_take()
    before = list(Event.objects.order_by("seq").values_list("seq", "hash"))

    # when an erasure is carried out for her address
    out = io.StringIO()
    call_command(
        "audit",
        "erase",
        "--email",
        "Leila@Alborz.example",
        "--reason",
        "Request 2026/41",
        stdout=out,
    )

    # then her name and address are gone from the record, every hash is unchanged,
    # the erasure is an event of its own, and the trail and its checkpoint still verify
    side = Person.objects.get(user=person)
    assert (side.name, side.email, side.erased) == ("", "", True)
    assert out.getvalue() == f"Erased the name and e-mail address of {side.pseudonym}.\n"
    assert list(Event.objects.order_by("seq").values_list("seq", "hash"))[:2] == before
    erased = Event.objects.last()
    assert (erased.action, erased.object_id, erased.reason) == (
        "person.erased",
        side.pseudonym,
        "Request 2026/41",
    )
    assert erased.payload == {"pseudonym": side.pseudonym}
    report = verify_chain()
    assert (report.intact, report.count, report.checkpoints) == (True, 3, 1)
    # and the auditor's pages show an erased person, not her name
    login(client, make_member(Role.AUDITOR))
    html = client.get(reverse("audit:events")).content.decode()
    assert "Leila" not in html and "leila@alborz.example" not in html
    # (as the actor of her two events, and as what they and the erasure are about)
    assert html.count("Erased person") == 5


def test_erasing_someone_not_on_the_record_is_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match=re.escape("Nobody with the address nobody@x.example")):
        call_command("audit", "erase", "--email", "nobody@x.example", "--reason", "r")

    assert Event.objects.count() == 0
