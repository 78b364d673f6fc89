"""Questions from suppliers and the buyer's answers, published to everyone."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.permissions import Perm, has_perm
from audit.services import record
from core import bilingual
from core.clock import db_now

from .. import ocds, validation
from ..exceptions import AlreadyAnswered, ClarificationPeriodOver, TenderInvalidTransition
from ..lock_objects import clarification_for_update, tender_for_update
from ..models import Clarification, Tender, TenderState
from ..notifications import followers, notify_tender
from .fields import jsonable
from .invitations import check_may_take_part
from .steps import buyer_role_payload, require


def clarification_ask(
    *, actor, tender: Tender, supplier, question: str, question_fa: str = ""
) -> Clarification:
    """A verified supplier's representative asks a question, before the clarification deadline.

    Who asked stays private: the public and other suppliers see the question
    and its answer only (tenders.selectors). The question in English, in
    Persian or both (core.bilingual.pair: one text goes where its script says).
    """
    question, question_fa = bilingual.pair(
        validation.clean_text(question, field="question", max_length=5000),
        validation.clean_text(question_fa, field="question_fa", max_length=5000),
    )
    validation.require_one(question, question_fa, field="question")
    with transaction.atomic(durable=True):
        tender = tender_for_update(tender)
        require(has_perm(actor, Perm.ASK_CLARIFICATION, supplier))
        check_may_take_part(tender, supplier)
        if tender.state != TenderState.PUBLISHED:
            raise ClarificationPeriodOver(params={"state": tender.state})
        now = db_now()
        if now >= tender.clarification_deadline:
            raise ClarificationPeriodOver(
                params={"clarification_deadline": jsonable(tender.clarification_deadline)}
            )
        number = (tender.clarifications.aggregate(last=Max("number"))["last"] or 0) + 1
        clarification = Clarification.objects.create(
            tender=tender,
            number=number,
            asked_by_organisation_id=supplier.organisation_id,
            asked_by=actor,
            question=question,
            question_fa=question_fa,
            asked_at=now,
        )
        record(
            action="tender.clarification_asked",
            actor=actor,
            obj=tender,
            organisation=supplier.organisation,
            payload={"clarification_id": clarification.pk, "number": number},
        )
        notify_tender(tender, event="question_asked", recipients=[tender.created_by_id])
    return clarification


def clarification_answer(
    *, actor, clarification: Clarification, answer: str, answer_fa: str = ""
) -> Clarification:
    """An officer answers: the question and answer are published to all, followers told.

    The answer in English, in Persian or both (core.bilingual.pair).
    """
    answer, answer_fa = bilingual.pair(
        validation.clean_text(answer, field="answer", max_length=10000),
        validation.clean_text(answer_fa, field="answer_fa", max_length=10000),
    )
    validation.require_one(answer, answer_fa, field="answer")
    with transaction.atomic(durable=True):
        tender = tender_for_update(clarification.tender_id)
        clarification = clarification_for_update(clarification)
        require(has_perm(actor, Perm.DRAFT_TENDER, tender))
        if clarification.answered_at is not None:
            raise AlreadyAnswered()
        if tender.state != TenderState.PUBLISHED:
            raise TenderInvalidTransition(
                _("Questions are answered while the tender is open."),
                params={"state": tender.state},
            )
        clarification.answer, clarification.answer_fa = answer, answer_fa
        clarification.answered_by = actor
        clarification.answered_at = db_now()
        clarification.published = True
        clarification.save(
            update_fields=["answer", "answer_fa", "answered_by", "answered_at", "published"]
        )
        ocds.release_record(tender=tender, tag=ocds.TAG_UPDATE)
        record(
            action="tender.clarification_answered",
            actor=actor,
            obj=tender,
            payload={"clarification_id": clarification.pk, "number": clarification.number},
            **buyer_role_payload(tender),
        )
        notify_tender(
            tender,
            event="question_answered",
            recipients=[*followers(tender), clarification.asked_by_id],
            exclude=actor,
        )
    return clarification
