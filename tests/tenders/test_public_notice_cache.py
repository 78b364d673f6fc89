"""The notice's shared sections are rendered once and reused, and never shown stale.

Facts, lots, requirements, documents, published clarifications and amendments
are the same for every reader; they are keyed on the language, the tender and
its last OCDS release (every change to them publishes one). What belongs to the
reader (follow, the question form) and to the time (the countdown) is rendered
for each request.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tenders import services
from tests.factories import login
from tests.suppliers.factories import supplier_in_state

from .factories import SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db


def notice_url(tender):
    return reverse("tenders:notice", kwargs={"key": tender.pk})


def sections(response) -> str:
    """The shared part of the page: from the facts to the end of the amendments."""
    page = response.content.decode()
    start = page.index('<section aria-labelledby="facts-heading"')
    return page[start : page.index('<div class="col-lg-4 ', start)]


def without_reader(html: str) -> str:
    """`sections` less the clarifications section's reader part (the form, or the login link)."""
    start = html.index('<section aria-labelledby="clarifications-heading"')
    end = html.index('<section aria-labelledby="amendments-heading"')
    return html[:start] + html[end:]


def test_the_same_notice_is_rendered_once(client, django_assert_num_queries):
    # given a notice read once
    tender, _team = tender_in_state("published", lots=2)
    first = client.get(notice_url(tender))

    # when another reader opens it
    with django_assert_num_queries(1):  # the tender's row, with its last release
        second = client.get(notice_url(tender))

    # then they read the same sections, lots included
    assert second.status_code == 200
    assert sections(second) == sections(first)
    assert 'id="lot-2"' in sections(second)


def test_a_published_answer_shows_at_once(client):
    # given a question asked, and the notice read before it is answered
    tender, team = tender_in_state("published")
    supplier, admin, _reviewer = supplier_in_state("verified")
    asked = services.clarification_ask(
        actor=admin, tender=tender, supplier=supplier, question="Is asphalt included?"
    )
    assert "Is asphalt included?" not in sections(client.get(notice_url(tender)))

    # when the officer answers it
    services.clarification_answer(actor=team.officer, clarification=asked, answer="Yes, 40 mm.")

    # then the next reader reads the question and its answer
    page = sections(client.get(notice_url(tender)))
    assert "Is asphalt included?" in page
    assert "Yes, 40 mm." in page


def test_an_amendment_shows_at_once(client):
    # given the notice, read and kept
    tender, team = tender_in_state("published")
    assert "The tender has not been amended." in sections(client.get(notice_url(tender)))

    # when the officer extends the deadline
    later = SUBMISSION_DEADLINE + datetime.timedelta(days=7)
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Deadline extended by a week",
        changes={"submission_deadline": later, "opening_at": later + datetime.timedelta(hours=1)},
        material=True,
    )

    # then the next reader reads the amendment and what it changed
    response = client.get(notice_url(tender))
    page = sections(response)
    assert "Deadline extended by a week" in page
    assert 'data-field="submission_deadline"' in page
    assert "The tender has not been amended." not in page


def test_each_language_has_its_own_sections(client):
    # given a lot with a Persian title, and the notice read in English
    tender, team = tender_in_state("draft")
    services.lot_update(actor=team.officer, lot=tender.lots.get(), title_fa="بخش نخست")
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    services.tender_approve_and_publish(actor=team.approver, tender=tender)
    english = sections(client.get(notice_url(tender)))

    # when it is read in Persian
    with translation.override("fa"):
        persian = sections(client.get(notice_url(tender), HTTP_ACCEPT_LANGUAGE="fa"))

    # then each reader reads their language
    assert "بخش نخست" in persian
    assert "بخش نخست" not in english


def test_what_belongs_to_the_reader_is_never_shared(client):
    # given the notice read by an anonymous reader
    tender, _team = tender_in_state("published")
    anonymous = client.get(notice_url(tender))
    assert 'id="follow-form"' not in anonymous.content.decode()
    assert 'id="ask-form"' not in anonymous.content.decode()

    # when a verified supplier's administrator reads it
    _supplier, admin, _reviewer = supplier_in_state("verified")
    login(client, admin)
    member = client.get(notice_url(tender))

    # then the follow button and the question form are theirs, around the same sections
    assert 'id="follow-form"' in member.content.decode()
    assert 'id="ask-form"' in member.content.decode()
    assert without_reader(sections(member)) == without_reader(sections(anonymous))


def test_with_no_reuse_every_request_renders(client, settings, django_assert_num_queries):
    # given reuse turned off, and the notice read once
    settings.TENDER_PUBLIC_CACHE_SECONDS = 0
    tender, _team = tender_in_state("published")
    client.get(notice_url(tender))

    # when / then the next reader's request loads every section again
    with django_assert_num_queries(7):
        client.get(notice_url(tender))


def test_a_change_to_another_tender_reuses_this_notice(client, django_assert_num_queries):
    # given a notice read once
    tender, team = tender_in_state("published")
    first = client.get(notice_url(tender))

    # when another tender of the same buyer is published and amended
    other, _team = tender_in_state("published", team=team)
    services.tender_amend(
        actor=team.officer, tender=other, summary="Title corrected", changes={"title": "Other"}
    )

    # then this notice's sections are reused as they were
    with django_assert_num_queries(1):  # the tender's row, with its last release
        second = client.get(notice_url(tender))
    assert sections(second) == sections(first)
