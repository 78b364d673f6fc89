"""On the tender's page: approve or return (approver only), cancel, amend, answer, close out."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core.models import OutboxMessage
from core.money import money_json
from tenders import services
from tenders.models import Amendment, Clarification, Tender, TenderState
from tests.factories import login, make_member
from tests.suppliers.factories import supplier_in_state

from .factories import DAY, SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"tender_admin:{name}", args=args)


def _actions(tender_pk):
    return list(
        Event.objects.filter(object_type="tenders.tender", object_id=str(tender_pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_approver_approves_and_the_tender_is_published(client):
    # given
    tender, team = tender_in_state("awaiting_approval")
    login(client, team.approver)

    # when
    page = client.get(_url("detail", tender.pk))
    response = client.post(_url("approve", tender.pk))

    # then
    assert page.status_code == 200
    assert page.context["actions"]["approve"] is True
    assert page.context["actions"]["return"] is True
    assert page.context["actions"]["submit"] is False
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.state == TenderState.PUBLISHED
    assert tender.approved_by == team.approver
    assert _actions(tender.pk)[-1] == "tender.published"


def test_the_officer_cannot_approve_and_nothing_is_written(client, nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")
    login(client, team.officer)

    # when
    page = client.get(_url("detail", tender.pk))
    with nothing_written():
        response = client.post(_url("approve", tender.pk))
        returned = client.post(_url("return", tender.pk), {"reason": "Mine"})

    # then
    assert page.context["actions"]["approve"] is False
    assert "Approve and publish" not in page.content.decode()
    assert response.status_code == 403
    assert returned.status_code == 403
    assert Tender.objects.get(pk=tender.pk).state == TenderState.AWAITING_APPROVAL


def test_the_approver_returns_it_with_reasons_shown_to_the_officer(client):
    # given
    tender, team = tender_in_state("awaiting_approval")
    login(client, team.approver)

    # when
    response = client.post(_url("return", tender.pk), {"reason": "Lot 2 has no bid security."})

    # then
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.state == TenderState.DRAFT
    assert tender.return_reasons == "Lot 2 has no bid security."
    event = Event.objects.filter(action="tender.returned_to_draft").get()
    assert event.reason == "Lot 2 has no bid security."
    login(client, team.officer)
    page = client.get(_url("detail", tender.pk)).content.decode()
    assert "Lot 2 has no bid security." in page


def test_returning_without_a_reason_is_a_form_error(client, nothing_written):
    # given
    tender, team = tender_in_state("awaiting_approval")
    login(client, team.approver)

    # when
    with nothing_written():
        response = client.post(_url("return", tender.pk), {"reason": "   "})

    # then
    assert response.status_code == 400
    assert response.context["return_form"].errors == {"reason": ["This field is required."]}


def test_the_officer_cancels_with_a_public_reason(client):
    # given
    tender, team = tender_in_state("published")
    login(client, team.officer)

    # when
    response = client.post(_url("cancel", tender.pk), {"reason": "Budget withdrawn"})

    # then
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.state == TenderState.CANCELLED
    assert tender.cancellation_reason == "Budget withdrawn"
    page = client.get(_url("detail", tender.pk))
    assert page.context["actions"] == {
        "submit": False,
        "approve": False,
        "return": False,
        "cancel": False,
        "unsuccessful": False,
        "amend": False,
        "answer": False,
        "edit": False,
    }


def test_an_amendment_is_numbered_and_shown_with_its_diff(client):
    # given
    tender, team = tender_in_state("published")
    login(client, team.officer)
    form = client.get(_url("amend", tender.pk)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: ("" if value is None else value) for name, value in data.items()}
    for name in ("estimated_value", "document_fee"):
        # An amount and its currency are two inputs (core.forms.MoneyWidget).
        data[f"{name}_amount"], data[f"{name}_currency"] = money_json(data.pop(name)).values()
    data["material"] = ""
    data["clarification_deadline"] = (
        form["clarification_deadline"].value().strftime("%Y-%m-%dT%H:%M")
    )
    data["opening_at"] = form["opening_at"].value().strftime("%Y-%m-%dT%H:%M")
    new_deadline = SUBMISSION_DEADLINE + 7 * DAY
    data["submission_deadline"] = "2029-07-13T12:30"  # Tehran time of new_deadline
    data["opening_at"] = "2029-07-13T13:30"
    data.update(summary="Deadline extended by a week", notice="", title=tender.title)

    # when
    response = client.post(_url("amend", tender.pk), data)

    # then
    assert response.status_code == 302
    amendment = Amendment.objects.get(tender=tender)
    assert amendment.number == 1
    assert amendment.changes == {
        "submission_deadline": {
            "from": "2029-07-06T09:00:00+00:00",
            "to": "2029-07-13T09:00:00+00:00",
        },
        "opening_at": {"from": "2029-07-06T10:00:00+00:00", "to": "2029-07-13T10:00:00+00:00"},
    }
    tender.refresh_from_db()
    assert tender.submission_deadline == new_deadline
    page = client.get(_url("detail", tender.pk)).content.decode()
    assert "Amendment 1" in page
    assert "Deadline extended by a week" in page
    assert "2029-07-13T09:00:00+00:00" in page


def test_an_amendment_moving_the_deadline_into_the_past_is_a_field_error(client, nothing_written):
    # given
    tender, team = tender_in_state("published")
    login(client, team.officer)
    form = client.get(_url("amend", tender.pk)).context["form"]
    data = {
        "summary": "Shorter",
        "title": tender.title,
        "estimated_value_amount": money_json(form["estimated_value"].value())["amount"],
        "estimated_value_currency": "IRR",
        "document_fee_amount": money_json(form["document_fee"].value())["amount"],
        "document_fee_currency": "IRR",
        "clarification_deadline": "2029-06-21T12:30",
        "submission_deadline": "2029-05-01T12:30",
        "opening_at": "2029-07-06T13:30",
    }

    # when
    with nothing_written():
        response = client.post(_url("amend", tender.pk), data)

    # then
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["submission_deadline"]


def test_the_officer_answers_a_clarification(client):
    # given
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    question = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Is milling included?"
    )
    login(client, team.officer)

    # when
    page = client.get(_url("detail", tender.pk))
    response = client.post(_url("answer", tender.pk, question.pk), {"answer": "Yes, in lot 1."})

    # then
    assert "Is milling included?" in page.content.decode()
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Yes, in lot 1."
    assert question.answered_by == team.officer
    assert question.published is True
    assert _actions(tender.pk)[-1] == "tender.clarification_answered"


def test_an_empty_answer_is_a_form_error(client, nothing_written):
    # given
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    question = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Is milling included?"
    )
    login(client, team.officer)

    # when
    with nothing_written():
        response = client.post(_url("answer", tender.pk, question.pk), {"answer": ""})

    # then
    assert response.status_code == 400
    assert response.context["clarifications"][0]["form"].errors == {
        "answer": ["This field is required."]
    }
    assert Clarification.objects.get(pk=question.pk).answered_at is None


def test_a_closed_tender_is_declared_unsuccessful(client):
    # given
    tender, team = tender_in_state("closed")
    login(client, team.officer)

    # when
    response = client.post(_url("unsuccessful", tender.pk), {"reason": "No bid was received."})

    # then
    assert response.status_code == 302
    tender.refresh_from_db()
    assert tender.state == TenderState.UNSUCCESSFUL
    assert tender.unsuccessful_reason == "No bid was received."


def test_the_list_groups_the_buyers_tenders_by_state(client):
    # given
    _draft, team = tender_in_state("draft", reference="RA-1")
    _published, _team = tender_in_state("published", team, reference="RA-2")
    tender_in_state("draft", reference="OTHER-1")  # another buyer's
    login(client, team.approver)

    # when
    response = client.get(_url("list"))

    # then
    assert [
        (group["state"], [t.reference for t in group["tenders"]])
        for group in response.context["groups"]
    ] == [("draft", ["RA-1"]), ("published", ["RA-2"])]
    assert response.context["may_create"] is False


def test_the_approver_sees_the_audit_timeline(client):
    # given
    tender, team = tender_in_state("published")
    login(client, team.approver)

    # when
    response = client.get(_url("detail", tender.pk))

    # then
    assert [event.action for event in response.context["events"]] == _actions(tender.pk)
    assert "tender.published" in response.content.decode()
    assert OutboxMessage.objects.exists()


def test_a_committee_member_of_the_buyer_cannot_see_a_draft(client):
    # given
    tender, team = tender_in_state("draft")
    member = make_member(Role.COMMITTEE_MEMBER, organisation=team.buyer)
    login(client, member)

    # when
    response = client.get(_url("detail", tender.pk))

    # then
    assert response.status_code == 403


def test_the_approver_sees_who_has_no_opening_key_and_publishing_is_refused_on_the_page(
    client, nothing_written
):
    # given a tender awaiting approval whose third opener has not made a key
    from tenders.models import MemberKey

    from .factories import buyer_team, opening_key

    team = buyer_team(opening_keys=False)
    opening_key(team.opening[0])
    opening_key(team.opening[1])
    tender, team = tender_in_state("awaiting_approval", team)
    login(client, team.approver)

    # when the approver opens the page and approves
    page = client.get(_url("detail", tender.pk)).content.decode()
    with nothing_written():
        response = client.post(_url("approve", tender.pk))

    # then the page marks the member, and the approval is refused with the reason
    assert (
        '<li><bdi>Opener 3</bdi> <span class="badge text-bg-warning no-opening-key">'
        "no opening key yet</span></li>"
    ) in page
    assert page.count("no opening key yet") == 1
    assert response.status_code == 400
    assert (
        "These opening committee members have no opening key yet: Opener 3."
        in response.content.decode()
    )
    assert Tender.objects.get(pk=tender.pk).state == TenderState.AWAITING_APPROVAL

    # and once the member has made it, the approval publishes the tender with its key
    opening_key(team.opening[2])
    assert client.post(_url("approve", tender.pk)).status_code == 302
    page = client.get(_url("detail", tender.pk)).content.decode()
    key = tender.sealing_keys.get()
    assert (
        f'Single envelope: <bdi dir="ltr"><code class="text-break small">{key.fingerprint}' in page
    )
    assert MemberKey.objects.filter(shares__tender_key=key).count() == 3
