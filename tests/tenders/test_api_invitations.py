"""The invitations API: the officer lists, invites and removes; the supplier lists its
invitations; nobody else reads or changes the list. Errors are problem+json."""

import pytest

from accounts.models import Role
from tenders import services
from tenders.models import Invitation
from tests.factories import login, make_member

from .factories import draft_tender, eligible_supplier, invite_suppliers, outsider

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders"
JSON = "application/json"


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code
    return response.json()


def _invited(tender):
    return list(
        Invitation.objects.filter(tender=tender)
        .order_by("pk")
        .values_list("supplier_id", flat=True)
    )


def test_the_officer_invites_lists_and_removes_through_the_api(client):
    # given a restricted draft and an eligible supplier
    tender, team = draft_tender(procurement_method="restricted")
    supplier, _admin = eligible_supplier(legal_name="Alborz Road Builders")
    login(client, team.officer)

    # when the officer invites it
    created = client.post(
        f"{API}/{tender.pk}/invitations/", {"supplier": supplier.pk}, content_type=JSON
    )

    # then the invitation comes back, and is listed
    assert created.status_code == 201, created.content
    expected = {
        "supplier": {
            "id": supplier.pk,
            "legal_name": "Alborz Road Builders",
            "legal_name_fa": supplier.legal_name_fa,
            "registration_number": supplier.registration_number,
            "country": "IR",
        },
        "invited_at": "2029-06-01T12:30:00+03:30",
        "invited_by": team.officer.pk,
    }
    assert created.json() == expected
    listed = client.get(f"{API}/{tender.pk}/invitations/")
    assert (listed.status_code, listed.json()) == (200, [expected])

    # when the officer removes it
    removed = client.delete(f"{API}/{tender.pk}/invitations/{supplier.pk}/")

    # then it is gone
    assert removed.status_code == 204
    assert _invited(tender) == []
    assert client.get(f"{API}/{tender.pk}/invitations/").json() == []


def test_refusals_are_problems_and_change_nothing(client, nothing_written):
    # given a restricted draft with one invited supplier, an open draft, a suspended supplier
    tender, team = draft_tender(procurement_method="restricted")
    invited, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=invited)
    open_tender, _open_team = draft_tender(team)
    other, _admin = eligible_supplier()
    login(client, team.officer)
    url = f"{API}/{tender.pk}/invitations/"

    # when the officer tries what is not allowed
    with nothing_written():
        twice = client.post(url, {"supplier": invited.pk}, content_type=JSON)
        not_restricted = client.post(
            f"{API}/{open_tender.pk}/invitations/", {"supplier": other.pk}, content_type=JSON
        )
        unknown = client.post(url, {"supplier": 999999}, content_type=JSON)
        not_invited = client.delete(f"{url}{other.pk}/")
        invalid = client.post(url, {}, content_type=JSON)

    # then each is a problem with its code
    _problem(twice, 409, "tender.already_invited")
    _problem(not_restricted, 409, "tender.not_restricted")
    _problem(unknown, 404, "api.not_found")
    _problem(not_invited, 404, "tender.invitation_not_found")
    assert invalid.status_code == 400
    assert _invited(tender) == [invited.pk]


def test_an_ineligible_supplier_is_refused_with_its_reasons(client, nothing_written):
    # given a restricted draft and a supplier with expired documents
    tender, team = draft_tender(procurement_method="restricted")
    supplier, _admin = eligible_supplier()
    supplier.documents.filter(kind="social_security").update(expires_on="2029-05-31")
    login(client, team.officer)

    # when the officer invites it
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/invitations/", {"supplier": supplier.pk}, content_type=JSON
        )

    # then a 422 problem lists why
    body = _problem(response, 422, "tender.supplier_not_eligible")
    assert [reason["code"] for reason in body["params"]["reasons"]] == ["supplier.document_expired"]


ROLES = {
    "a supplier's admin": lambda team: eligible_supplier()[1],
    "another buyer's officer": lambda team: outsider(Role.PROCUREMENT_OFFICER),
    "the tender's approver": lambda team: team.approver,
    "an evaluator of the buyer": lambda team: make_member(Role.EVALUATOR, organisation=team.buyer),
}


@pytest.mark.parametrize("who", list(ROLES))
def test_only_the_officer_changes_the_list_through_the_api(client, who, nothing_written):
    # given a restricted draft with one invited supplier, and a caller who is not its officer
    tender, team = draft_tender(procurement_method="restricted")
    invited, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=invited)
    candidate, _admin = eligible_supplier()
    login(client, ROLES[who](team))

    # when they try to invite and to remove
    with nothing_written():
        invite = client.post(
            f"{API}/{tender.pk}/invitations/", {"supplier": candidate.pk}, content_type=JSON
        )
        remove = client.delete(f"{API}/{tender.pk}/invitations/{invited.pk}/")

    # then a problem each (another buyer's draft does not even exist for them)
    expected = 403 if who == "the tender's approver" else 404
    assert (invite.status_code, remove.status_code) == (expected, expected)
    assert invite["Content-Type"] == "application/problem+json"
    assert _invited(tender) == [invited.pk]


def test_the_list_is_the_buyers_business(client):
    # given a published restricted tender with its three invited suppliers
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    url = f"{API}/{tender.pk}/invitations/"

    # when anonymous, an invited supplier, another buyer's officer and the approver ask for it
    anonymous = client.get(url)
    login(client, suppliers[0].organisation.memberships.get(role=Role.SUPPLIER_ADMIN).user)
    invited = client.get(url)
    login(client, outsider(Role.PROCUREMENT_OFFICER))
    other_buyer = client.get(url)
    login(client, team.approver)
    approver = client.get(url)

    # then only the buyer's people get it
    assert anonymous.status_code in {401, 403}
    _problem(invited, 403, "api.permission_denied")
    _problem(other_buyer, 403, "api.permission_denied")
    assert approver.status_code == 200
    assert [row["supplier"]["id"] for row in approver.json()] == [s.pk for s in suppliers]


def test_the_tender_summary_does_not_name_the_invited(client):
    # given a published restricted tender
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)

    # when the public reads it through the API, then no invited supplier is named
    content = client.get(f"{API}/{tender.pk}/").content.decode()
    for supplier in suppliers:
        assert supplier.legal_name not in content


def test_a_supplier_lists_the_tenders_it_is_invited_to(client):
    # given a published restricted tender and a draft one, both inviting the same supplier
    tender, team = draft_tender(procurement_method="restricted")
    supplier = invite_suppliers(tender, team)[0]
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    draft, draft_team = draft_tender(procurement_method="restricted")
    services.tender_invite(actor=draft_team.officer, tender=draft, supplier=supplier)
    _other, stranger = eligible_supplier()

    # when its admin, and another supplier's admin, list their invitations
    login(client, supplier.organisation.memberships.get(role=Role.SUPPLIER_ADMIN).user)
    mine = client.get(f"{API}/invited/")
    login(client, stranger)
    theirs = client.get(f"{API}/invited/")

    # then the published tender only, for the invited one; nothing for the other
    assert mine.status_code == 200
    assert [row["reference"] for row in mine.json()["results"]] == [tender.reference]
    assert theirs.json()["results"] == []


def test_the_invited_list_needs_authentication(client):
    response = client.get(f"{API}/invited/")
    assert response.status_code in {401, 403}
    assert response["Content-Type"] == "application/problem+json"


def test_a_supplier_not_invited_cannot_ask_through_the_api(client, nothing_written):
    # given a published restricted tender and a verified supplier it does not invite
    tender, team = draft_tender(procurement_method="restricted")
    invite_suppliers(tender, team)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    supplier, admin = eligible_supplier(legal_name="Outsider Co.")
    login(client, admin)

    # when its admin asks a question
    with nothing_written():
        response = client.post(
            f"{API}/{tender.pk}/clarifications/",
            {"supplier": supplier.pk, "question": "May we bid?"},
            content_type=JSON,
        )

    # then a 403 problem says why
    body = _problem(response, 403, "tender.not_invited")
    assert body["detail"] == (
        "This tender is restricted to invited suppliers, and Outsider Co. is not invited."
    )
