"""Suppliers ask until the clarification deadline; answers are public, askers stay private."""

import dataclasses
import datetime

import pytest

from accounts.models import Role
from audit.models import Event
from core.clock import frozen_at
from core.models import OutboxMessage
from tenders import selectors, services
from tenders.exceptions import (
    AlreadyAnswered,
    ClarificationPeriodOver,
    TenderInvalidTransition,
    TenderNotAllowed,
)
from tenders.models import Clarification
from tests.factories import make_member
from tests.suppliers.factories import supplier_in_state

from .factories import (
    CLARIFICATION_DEADLINE,
    DAY,
    NOW,
    SUBMISSION_DEADLINE,
    plain_user,
    tender_in_state,
)

pytestmark = pytest.mark.django_db

SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def supplier():
    supplier, admin, _reviewer = supplier_in_state("verified")
    return supplier, admin


def _ask(tender, supplier, actor, question="Is milling included in lot 1?"):
    return services.clarification_ask(
        actor=actor, tender=tender, supplier=supplier, question=question
    )


def test_a_verified_suppliers_representative_asks_and_the_officer_is_told(supplier):
    # given
    supplier, admin = supplier
    bidder = make_member(Role.BIDDER, organisation=supplier.organisation)
    tender, team = tender_in_state("published", reference="RA-60")

    # when
    first = _ask(tender, supplier, admin)
    second = _ask(tender, supplier, bidder, question="  Which asphalt grade?  ")

    # then
    first.refresh_from_db()
    assert (first.number, first.asked_at, first.asked_by, first.published) == (
        1,
        NOW,
        admin,
        False,
    )
    assert first.asked_by_organisation == supplier.organisation
    assert (second.number, second.question) == (2, "Which asphalt grade?")
    event = Event.objects.filter(action="tender.clarification_asked").order_by("seq").first()
    assert (event.actor_user, event.organisation) == (admin, supplier.organisation)
    assert event.payload == {"clarification_id": first.pk, "number": 1}
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert (message.payload["kind"], message.payload["recipients"]) == (
        "tender.question_asked",
        [team.officer.pk],
    )


def test_questions_stop_at_the_clarification_deadline(supplier, nothing_written):
    # given
    supplier, admin = supplier
    tender, _team = tender_in_state("published")
    with frozen_at(CLARIFICATION_DEADLINE - SECOND):
        _ask(tender, supplier, admin)

    # when / then: at the deadline itself, refused
    with (
        frozen_at(CLARIFICATION_DEADLINE),
        nothing_written(),
        pytest.raises(ClarificationPeriodOver) as raised,
    ):
        _ask(tender, supplier, admin)
    assert (raised.value.code, raised.value.status) == ("tender.clarification_period_over", 409)


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "closed", "cancelled"])
def test_questions_are_asked_of_published_tenders_only(state, supplier, nothing_written):
    # given
    supplier, admin = supplier
    tender, _team = tender_in_state(state)

    # when / then
    with nothing_written(), pytest.raises(ClarificationPeriodOver):
        _ask(tender, supplier, admin)


@pytest.mark.parametrize("who", ["unverified_supplier", "other_suppliers_admin", "officer", "user"])
def test_only_a_verified_suppliers_representatives_ask(who, supplier, nothing_written):
    # given
    verified, _admin = supplier
    tender, team = tender_in_state("published")
    if who == "unverified_supplier":
        on_behalf, actor, _r = supplier_in_state(
            "submitted", registration_number="222", legal_name="Pending Co."
        )
    else:
        on_behalf = verified
        actor = {
            "other_suppliers_admin": lambda: supplier_in_state(
                "verified", registration_number="333", legal_name="Other Co."
            )[1],
            "officer": lambda: team.officer,
            "user": plain_user,
        }[who]()

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        _ask(tender, on_behalf, actor)


def test_an_empty_question_is_refused(supplier, nothing_written):
    # given
    supplier, admin = supplier
    tender, _team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(Exception) as raised:
        _ask(tender, supplier, admin, question="   ")
    assert (raised.value.code, raised.value.field) == ("tender.invalid_field", "question")


def test_the_answer_is_published_and_followers_and_the_asker_are_told(supplier):
    # given
    supplier, admin = supplier
    tender, team = tender_in_state("published")
    follower = plain_user()
    services.tender_follow(actor=follower, tender=tender)
    question = _ask(tender, supplier, admin)

    # when
    with frozen_at(NOW + DAY):
        services.clarification_answer(
            actor=team.officer, clarification=question, answer="Yes, milling is in lot 1."
        )

    # then
    question.refresh_from_db()
    assert (question.answer, question.answered_by, question.answered_at, question.published) == (
        "Yes, milling is in lot 1.",
        team.officer,
        NOW + DAY,
        True,
    )
    event = Event.objects.get(action="tender.clarification_answered")
    assert event.payload == {"clarification_id": question.pk, "number": 1}
    message = OutboxMessage.objects.filter(topic="core.notify").latest("pk")
    assert (message.payload["kind"], message.payload["recipients"]) == (
        "tender.question_answered",
        [follower.pk, admin.pk],
    )


def test_a_question_is_answered_once(supplier, nothing_written):
    # given
    supplier, admin = supplier
    tender, team = tender_in_state("published")
    question = _ask(tender, supplier, admin)
    services.clarification_answer(actor=team.officer, clarification=question, answer="Yes.")

    # when / then
    with nothing_written(), pytest.raises(AlreadyAnswered):
        services.clarification_answer(actor=team.officer, clarification=question, answer="No.")


def test_answers_come_while_the_tender_is_open(supplier, nothing_written):
    # given a question left unanswered until the tender closed
    supplier, admin = supplier
    tender, team = tender_in_state("published")
    question = _ask(tender, supplier, admin)
    with frozen_at(SUBMISSION_DEADLINE):
        services.tender_close_due()

    # when / then
    with nothing_written(), pytest.raises(TenderInvalidTransition):
        services.clarification_answer(actor=team.officer, clarification=question, answer="Late")


@pytest.mark.parametrize("who", ["approver", "asker"])
def test_only_the_buyers_officers_answer(who, supplier, nothing_written):
    # given
    supplier, admin = supplier
    tender, team = tender_in_state("published")
    question = _ask(tender, supplier, admin)
    actor = {"approver": team.approver, "asker": admin}[who]

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.clarification_answer(actor=actor, clarification=question, answer="Yes.")


def test_the_public_never_learns_who_asked(supplier):
    # given an answered and an unanswered question
    supplier, admin = supplier
    tender, team = tender_in_state("published")
    answered = _ask(tender, supplier, admin, question="Is milling included?")
    _ask(tender, supplier, admin, question="Unanswered yet")
    services.clarification_answer(actor=team.officer, clarification=answered, answer="Yes.")

    # when
    detail = selectors.public_tender_detail(pk=tender.pk)

    # then only the answered one is public, without any trace of its asker
    assert [dataclasses.asdict(c) for c in detail.public_clarifications] == [
        {
            "number": 1,
            "question": "Is milling included?",
            "question_fa": "",
            "asked_at": NOW,
            "answer": "Yes.",
            "answer_fa": "",
            "answered_at": NOW,
        }
    ]
    assert {f.name for f in dataclasses.fields(selectors.PublicClarification)} == {
        "number",
        "question",
        "question_fa",
        "asked_at",
        "answer",
        "answer_fa",
        "answered_at",
    }
    text = repr(detail.public_clarifications)
    assert supplier.legal_name not in text
    assert admin.email not in text


def test_a_supplier_sees_its_own_questions_only(supplier):
    # given
    supplier, admin = supplier
    other, other_admin, _r = supplier_in_state(
        "verified", registration_number="444", legal_name="Rival Co."
    )
    tender, _team = tender_in_state("published")
    mine = _ask(tender, supplier, admin, question="Mine")
    _ask(tender, other, other_admin, question="Theirs")

    # when
    questions = list(selectors.supplier_questions(supplier=supplier))

    # then
    assert questions == [mine]
    assert Clarification.objects.count() == 2
