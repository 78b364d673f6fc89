"""The auditor's pages speak people's words: sentences, names, before and after, search by name."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OrganisationKind, Role
from audit.models import Event
from audit.services import record
from core.models import OutboxMessage
from tenders import services
from tests.factories import OrganisationFactory, login, make_member
from tests.tenders.factories import buyer_team, draft_tender

from .test_auditor_pages import _rows, row

TITLE = "Karaj–Chalus resurfacing"  # noqa: RUF001
TITLE_FA = "بهسازی جاده کرج–چالوس"  # noqa: RUF001


@pytest.fixture
def auditor_client(client):
    return login(client, make_member(Role.AUDITOR))


@pytest.fixture
def demo_tender(db):
    """T-DEMO-001 drafted, changed once and sent for approval by its officer."""
    team = buyer_team()
    team.buyer.name_fa = "سازمان راه"
    team.buyer.save(update_fields=["name_fa"])
    tender, team = draft_tender(team, reference="T-DEMO-001", title="Karaj resurfacing")
    services.tender_update(actor=team.officer, tender=tender, title=TITLE, title_fa=TITLE_FA)
    services.tender_submit_for_approval(actor=team.officer, tender=tender)
    return tender, team


def _event(action: str) -> Event:
    return Event.objects.get(action=action)


def test_an_event_reads_as_a_sentence_about_a_named_object(demo_tender, auditor_client):
    tender, team = demo_tender
    sent = _event("tender.submitted_for_approval")

    # when the auditor opens the trail
    html = auditor_client.get(reverse("audit:events")).content.decode()

    # then the event says what happened, about which tender, by its reference and title
    line = row(html, sent.seq)
    assert '<span class="audit-sentence">Tender sent for approval</span>' in line
    timeline = f"/audit/object/tenders.tender/{tender.pk}/"
    assert f'<a href="{timeline}"><bdi>T-DEMO-001 — {TITLE}</bdi></a>' in line
    assert '<small class="text-body-secondary">Tender</small>' in line
    # and the change of state as before → after, in the states' names
    assert (
        '<th scope="row">State</th>\n              \n'
        '              <td><del dir="auto">Draft</del> → '
        '<ins dir="auto">Awaiting approval</ins></td>'
    ) in line
    # and the approver it was sent to, by the field's label
    approver = f'<td dir="auto">{team.approver.pk}</td>'
    assert f'<th scope="row">Approver</th>\n              \n              {approver}' in line


def test_a_changed_draft_shows_each_field_before_and_after(demo_tender, auditor_client):
    _tender, team = demo_tender
    changed = _event("tender.updated")

    html = auditor_client.get(reverse("audit:events")).content.decode()

    line = row(html, changed.seq)
    assert '<span class="audit-sentence">Tender draft changed</span>' in line
    # by the officer, for the buyer, named
    assert f'?organisation={team.buyer.pk}"><bdi>Roads Authority</bdi></a>' in line
    assert '<small class="audit-role">Procurement officer</small>' in line
    assert (
        '<th scope="row">Title</th>\n              \n'
        '              <td><del dir="auto">Karaj resurfacing</del> → '
        f'<ins dir="auto">{TITLE}</ins></td>'
    ) in line
    assert (
        '<th scope="row">Title in Persian</th>\n              \n'
        '              <td><del dir="auto">بهسازی جاده کرج-چالوس</del> → '
        f'<ins dir="auto">{TITLE_FA}</ins></td>'
    ) in line


def test_in_persian_the_sentence_the_name_and_the_states_are_persian(demo_tender, auditor_client):
    _tender, team = demo_tender
    sent = _event("tender.submitted_for_approval")
    changed = _event("tender.updated")
    auditor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    html = auditor_client.get(reverse("audit:events")).content.decode()

    assert f'?organisation={team.buyer.pk}"><bdi>سازمان راه</bdi></a>' in row(html, changed.seq)
    line = row(html, sent.seq)
    assert '<span class="audit-sentence">مناقصه برای تأیید فرستاده شد</span>' in line
    assert f"<bdi>T-DEMO-001 — {TITLE_FA}</bdi></a>" in line
    assert '<small class="text-body-secondary">مناقصه</small>' in line
    assert '<del dir="auto">پیش‌نویس</del> → <ins dir="auto">در انتظار تأیید</ins>' in line


def test_a_timeline_is_headed_by_the_objects_name(demo_tender, auditor_client):
    tender, _team = demo_tender

    response = auditor_client.get(
        reverse("audit:object_timeline", args=["tenders.tender", str(tender.pk)])
    )

    html = response.content.decode()
    assert f"<title>Timeline of T-DEMO-001 — {TITLE}" in html
    assert f"<h1><bdi>T-DEMO-001 — {TITLE}</bdi></h1>" in html
    assert [Event.objects.get(seq=seq).action for seq in _rows(response)] == [
        "tender.created",
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.committee_member_added",
        "tender.lot_added",
        "tender.updated",
        "tender.submitted_for_approval",
    ]


def _tender_events(tender) -> list[int]:
    return list(
        Event.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))
        .order_by("-seq")
        .values_list("seq", flat=True)
    )


@pytest.mark.parametrize(
    "text",
    ["T-DEMO-001", "t-demo-۰۰۱", "Chalus", "کرج–چالوس"],  # noqa: RUF001
    ids=["reference", "reference-persian-digits", "title", "persian-title"],
)
def test_the_auditor_finds_a_tenders_history_by_its_reference_or_title(
    demo_tender, auditor_client, text
):
    # given another tender of the same buyer
    tender, team = demo_tender
    other, _team = draft_tender(team, reference="T-DEMO-002", title="Tabriz bridge", title_fa="پل")

    # when the auditor searches for it by what people call it
    response = auditor_client.get(reverse("audit:events"), {"object": text})

    # then exactly that tender's events are listed
    assert response.status_code == 200
    assert _rows(response) == _tender_events(tender)
    assert _tender_events(other)[0] not in _rows(response)


def test_the_auditor_finds_a_persons_and_an_organisations_events_by_name(db, auditor_client):
    # given events of two organisations, one with a Persian name
    roads = OrganisationFactory(
        kind=OrganisationKind.PROCURING_ENTITY, name="Roads Authority", name_fa="سازمان راه"
    )
    water = OrganisationFactory(kind=OrganisationKind.PROCURING_ENTITY, name="Water Board")
    leila = make_member(Role.PROCUREMENT_OFFICER, organisation=roads, name="Leila Ahmadi")
    first = record(action="user.logged_in", actor=leila, obj=leila, organisation=roads)
    second = record(action="organisation.updated", obj=water, organisation=water)

    def found(query):
        return _rows(auditor_client.get(reverse("audit:events"), query))

    # then the organisation is found by a part of either name, the person by theirs
    assert found({"organisation": "roads auth"}) == [first.seq]
    assert found({"organisation": "راه"}) == [first.seq]
    assert found({"organisation": "water"}) == [second.seq]
    assert found({"actor": "leila"}) == [first.seq]
    assert found({"object": "Water Board"}) == [second.seq]
    assert found({"object": "Leila"}) == [first.seq]


def test_the_filters_offer_sentences_and_kinds_not_codes_and_numbers(db, auditor_client):
    html = auditor_client.get(reverse("audit:events")).content.decode()

    assert '<select name="action" class="form-select" id="id_action">' in html
    assert '<option value="tender.published">Tender published</option>' in html
    assert '<select name="object_type" class="form-select" id="id_object_type">' in html
    assert '<option value="tenders.tender">Tender</option>' in html
    assert '<input type="hidden" name="object_id" class="form-control" id="id_object_id">' in html
    assert 'type="number"' not in html


def test_a_page_of_events_costs_the_same_queries_however_many_rows(db, auditor_client):
    team = buyer_team()
    draft_tender(team, lots=1)
    with CaptureQueriesContext(connection) as few:
        auditor_client.get(reverse("audit:events"))

    # when many more events, about more tenders, people and organisations, are on the page
    for _ in range(4):
        draft_tender(team, lots=2)
    OrganisationFactory(name="Another")
    assert Event.objects.count() > 3 * 3
    with CaptureQueriesContext(connection) as many:
        response = auditor_client.get(reverse("audit:events"))

    # then the page costs the same number of queries
    assert response.status_code == 200
    assert len(many) == len(few)


def test_the_csv_export_carries_the_sentence_and_the_name_in_the_readers_language(
    demo_tender, auditor_client
):
    sent = _event("tender.submitted_for_approval")
    auditor_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    response = auditor_client.get(
        reverse("audit:export"), {"format": "csv", "action": "tender.submitted_for_approval"}
    )

    text = b"".join(response.streaming_content).decode("utf-8")
    header, line, end = text.split("\r\n")
    assert header.startswith("\ufeffseq,recorded_at,")
    assert header.endswith(",hash,چه رخ داد,نام موضوع")
    assert line.endswith(f"{sent.hash},مناقصه برای تأیید فرستاده شد,T-DEMO-001 — {TITLE_FA}")
    assert end == ""


def test_searching_writes_nothing(demo_tender, auditor_client):
    before = (Event.objects.count(), OutboxMessage.objects.count())

    auditor_client.get(reverse("audit:events"), {"object": "T-DEMO", "organisation": "roads"})
    auditor_client.get(reverse("audit:export"), {"object": "T-DEMO", "format": "csv"})

    assert (Event.objects.count(), OutboxMessage.objects.count()) == before


def test_an_identifier_is_never_grouped_by_thousands_but_a_count_is():
    from django.utils import translation

    from audit.presentation import _text

    with translation.override("en"):
        assert (_text(1193, field="approver_id"), _text(1193, field="count")) == ("1193", "1,193")
    with translation.override("fa"):
        assert _text(1193, field="approver_id") == "۱۱۹۳"
