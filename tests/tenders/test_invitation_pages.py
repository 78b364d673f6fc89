"""The pages of a restricted tender: the officer's invitations page, the approver's view, the
public notice (how many are invited, never who) and the supplier's invitations."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tenders import services
from tenders.models import Invitation
from tests.factories import login, make_member

from .factories import (
    draft_tender,
    eligible_supplier,
    invite_suppliers,
    outsider,
    tender_in_state,
)

pytestmark = pytest.mark.django_db


def _invitations_url(tender):
    return reverse("tender_admin:invitations", args=[tender.pk])


def _published_restricted():
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    return tender, team, suppliers


def _admin_of(supplier):
    return supplier.organisation.memberships.get(role=Role.SUPPLIER_ADMIN).user


# --- the officer's page -----------------------------------------------------------------------


def test_the_officer_finds_invites_and_removes_suppliers_without_javascript(client):
    # given a restricted draft, an eligible supplier and one that is suspended
    tender, team = draft_tender(procurement_method="restricted")
    alborz, _admin = eligible_supplier(legal_name="Alborz Road Builders")
    login(client, team.officer)

    # when the officer searches by name (a GET form)
    page = client.get(_invitations_url(tender), {"q": "alborz"})

    # then the supplier is offered with an "Invite" button
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="q"' in content and 'value="alborz"' in content
    assert f'<tr data-supplier="{alborz.pk}">' in content
    assert "Alborz Road Builders" in content

    # when the officer invites it
    response = client.post(_invitations_url(tender), {"supplier": alborz.pk, "q": "alborz"})

    # then it is invited and the page comes back with the search
    assert response.status_code == 302
    assert response["Location"] == f"{_invitations_url(tender)}?q=alborz"
    assert list(Invitation.objects.values_list("supplier_id", flat=True)) == [alborz.pk]
    page = client.get(_invitations_url(tender))
    assert "Alborz Road Builders" in page.content.decode()

    # when the officer removes it
    response = client.post(
        reverse("tender_admin:invitation_remove", args=[tender.pk]), {"supplier": alborz.pk}
    )

    # then it is no longer invited
    assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_a_refused_invitation_is_shown_on_the_page(client, nothing_written):
    # given a restricted draft with a supplier already invited
    tender, team = draft_tender(procurement_method="restricted")
    supplier, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=supplier)
    login(client, team.officer)

    # when the officer invites it again
    with nothing_written():
        response = client.post(_invitations_url(tender), {"supplier": supplier.pk})

    # then the page says why, and nothing changed
    assert response.status_code == 400
    assert "This supplier is already invited." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_open_tender_has_no_invitations_to_manage(client):
    # given an open draft
    tender, team = draft_tender()
    login(client, team.officer)

    # when the officer opens its invitations page
    page = client.get(_invitations_url(tender), {"q": "road"})

    # then it says why, with no search form
    content = page.content.decode()
    assert page.status_code == 200
    assert "Only a restricted tender has invited suppliers." in content
    assert 'role="search"' not in content


def test_the_approver_sees_the_invited_suppliers_on_the_tender_page(client):
    # given a restricted tender awaiting approval
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    login(client, team.approver)

    # when the approver opens it
    page = client.get(reverse("tender_admin:detail", args=[tender.pk]))

    # then every invited supplier is listed, with no way to change the list
    content = page.content.decode()
    assert page.status_code == 200
    assert "Invited suppliers" in content
    for supplier in suppliers:
        assert f'<tr data-supplier="{supplier.pk}">' in content
    assert reverse("tender_admin:invitation_remove", args=[tender.pk]) not in content


INTRUDERS = {
    "a supplier's admin": lambda team: eligible_supplier()[1],
    "another buyer's officer": lambda team: outsider(Role.PROCUREMENT_OFFICER),
    "the tender's approver": lambda team: team.approver,
    "a committee member of the buyer": lambda team: make_member(
        Role.COMMITTEE_MEMBER, organisation=team.buyer
    ),
}


@pytest.mark.parametrize("who", list(INTRUDERS))
def test_only_the_officer_changes_the_list(client, who, nothing_written):
    # given a restricted draft with one invited supplier, and someone who is not its officer
    tender, team = draft_tender(procurement_method="restricted")
    invited, _admin = eligible_supplier()
    services.tender_invite(actor=team.officer, tender=tender, supplier=invited)
    candidate, _admin = eligible_supplier()
    login(client, INTRUDERS[who](team))

    # when they try to invite and to remove
    with nothing_written():
        answers = [
            client.post(_invitations_url(tender), {"supplier": candidate.pk}).status_code,
            client.post(
                reverse("tender_admin:invitation_remove", args=[tender.pk]),
                {"supplier": invited.pk},
            ).status_code,
        ]

    # then both are refused and the list is unchanged
    assert answers == [403, 403]
    assert list(Invitation.objects.values_list("supplier_id", flat=True)) == [invited.pk]


@pytest.mark.parametrize("who", ["a supplier's admin", "another buyer's officer"])
def test_outsiders_do_not_see_who_is_invited(client, who):
    # given a restricted draft with its invitations
    tender, team = draft_tender(procurement_method="restricted")
    invite_suppliers(tender, team)
    login(client, INTRUDERS[who](team))

    # when / then its invitations page is refused
    assert client.get(_invitations_url(tender)).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, nothing_written):
    # given a restricted draft and an eligible supplier
    tender, _team = draft_tender(procurement_method="restricted")
    supplier, _admin = eligible_supplier()

    # when an anonymous visitor tries the page and an invitation
    with nothing_written():
        answers = [
            client.get(_invitations_url(tender)),
            client.post(_invitations_url(tender), {"supplier": supplier.pk}),
        ]

    # then both are sent to the login page
    assert [a.status_code for a in answers] == [302, 302]
    assert all(a["Location"].startswith("/accounts/login/") for a in answers)
    assert not Invitation.objects.exists()


# --- the public notice and the supplier's side --------------------------------------------------


def test_the_notice_shows_how_many_are_invited_never_who(client):
    # given a published restricted tender with three invited suppliers
    tender, _team, suppliers = _published_restricted()

    # when anyone reads its notice
    page = client.get(reverse("tenders:notice", kwargs={"key": tender.pk}))

    # then it says the tender is restricted and how many are invited, and names none
    content = page.content.decode()
    assert page.status_code == 200
    assert "Restricted tender" in content
    assert "3 suppliers are invited." in content
    for supplier in suppliers:
        assert supplier.legal_name not in content
        assert supplier.registration_number not in content
    assert "Your company is invited" not in content


def test_an_invited_suppliers_people_see_that_their_company_is_invited(client):
    # given a published restricted tender, read by an invited supplier's admin
    tender, _team, suppliers = _published_restricted()
    login(client, _admin_of(suppliers[0]))

    # when they read the notice
    content = client.get(reverse("tenders:notice", kwargs={"key": tender.pk})).content.decode()

    # then the notice says their company is invited (and still names no other)
    assert "Your company is invited" in content
    assert suppliers[1].legal_name not in content


def test_a_supplier_not_invited_is_told_and_its_question_refused(client, nothing_written):
    # given a published restricted tender and a verified supplier that is not invited
    tender, _team, _suppliers = _published_restricted()
    supplier, admin = eligible_supplier(legal_name="Outsider Co.")
    login(client, admin)

    # when its admin reads the notice, then it says the company is not invited
    content = client.get(reverse("tenders:notice", kwargs={"key": tender.pk})).content.decode()
    assert "None of your companies is invited to this tender." in content

    # when the admin asks a question anyway
    with nothing_written():
        response = client.post(
            reverse("tenders:ask", kwargs={"pk": tender.pk}),
            {"supplier": supplier.pk, "question": "May we bid?"},
        )

    # then the page says why, and no question is recorded
    assert response.status_code == 200
    assert (
        "This tender is restricted to invited suppliers, and Outsider Co. is not invited."
        in response.content.decode()
    )


def test_an_open_notice_says_nothing_about_invitations(client):
    # given a published open tender
    tender, _team = tender_in_state("published")

    # when / then its notice has no restricted block
    content = client.get(reverse("tenders:notice", kwargs={"key": tender.pk})).content.decode()
    assert 'id="restricted-notice"' not in content


def test_the_suppliers_invitations_page(client):
    # given a published restricted tender that invites the user's company
    tender, _team, suppliers = _published_restricted()
    login(client, _admin_of(suppliers[0]))

    # when the user opens "Invitations" from the supplier's tabs
    page = client.get(reverse("tenders:invited"))

    # then the tender is listed, and the tab is there and active
    content = page.content.decode()
    assert page.status_code == 200
    assert f'data-reference="{tender.reference}"' in content
    assert f'class="nav-link active" href="{reverse("tenders:invited")}"' in content


def test_a_supplier_not_invited_sees_no_invitation(client):
    # given a published restricted tender and a supplier it does not invite
    _published_restricted()
    _supplier, admin = eligible_supplier()
    login(client, admin)

    # when / then the supplier's invitations page lists nothing
    content = client.get(reverse("tenders:invited")).content.decode()
    assert "None of your companies is invited to a published tender at present." in content


def test_the_invitations_page_needs_a_login(client):
    response = client.get(reverse("tenders:invited"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_wizard_of_a_restricted_draft_leads_to_its_invitations(client):
    # given a restricted draft and an open one
    restricted, team = draft_tender(procurement_method="restricted")
    open_draft, _team = draft_tender(team)
    login(client, team.officer)

    # when the officer opens a step of each
    restricted_page = client.get(reverse("tender_admin:step_basics", args=[restricted.pk]))
    open_page = client.get(reverse("tender_admin:step_basics", args=[open_draft.pk]))

    # then only the restricted one links to its invited suppliers
    assert _invitations_url(restricted) in restricted_page.content.decode()
    assert _invitations_url(open_draft) not in open_page.content.decode()


def test_the_approver_reads_the_invitations_page_without_changing_it(client):
    # given a restricted draft with its invitations, and its approver
    tender, team = draft_tender(procurement_method="restricted")
    suppliers = invite_suppliers(tender, team)
    login(client, team.approver)

    # when the approver opens the invitations page
    page = client.get(_invitations_url(tender), {"q": "builders"})

    # then the list is there, with no search, no invite and no remove
    content = page.content.decode()
    assert page.status_code == 200
    assert all(f'<tr data-supplier="{s.pk}">' in content for s in suppliers)
    assert 'role="search"' not in content
    assert reverse("tender_admin:invitation_remove", args=[tender.pk]) not in content
