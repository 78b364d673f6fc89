"""In a real browser, one two-lot tender from its first draft to its close (issue 5).

An officer (English) drafts a two-lot tender through the wizard and submits it.
The approver (Persian) approves and publishes it. Anyone sees it on the public
list and in the Atom feed. A verified supplier follows it and asks a question;
the officer answers and the supplier reads the answer on the notice. The
officer publishes an amendment that extends the submission deadline: the
follower is told in the app and by email. At the deadline the beat sweep closes
the tender and the notice says so. Every step is on the audit trail, the trail
is intact, and every OCDS release the tender produced is valid.

The minimum tendering period is set to zero so that the deadlines are hours
away in real time; the deadline is passed with `core.clock.frozen_at`, which
holds for every thread of the process (the live server's too).
"""

import datetime
import io
import xml.etree.ElementTree as ET
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.storage import storages
from django.core.management import call_command
from django.utils import timezone
from django.utils.functional import empty

from audit.models import Event
from core.clock import frozen_at
from core.money import Money
from core.storage import private_storage
from notifications.models import Notification
from tenders import ocds, services, tasks
from tenders.models import Amendment, Clarification, Follow, Release, Tender, TenderState
from tests.e2e.test_supplier_registration_walk import (
    assert_persian,
    english,
    make_pdf,
    persian,
    sign_in,
    submit,
)
from tests.factories import UserFactory
from tests.suppliers.factories import supplier_in_state
from tests.tenders.factories import buyer_team
from tests.tenders.ocds_validation import codelist_errors, errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEHRAN = zoneinfo.ZoneInfo("Asia/Tehran")
ATOM = "{http://www.w3.org/2005/Atom}"

REFERENCE = "T-2026-E2E-01"
TITLE = "Resurfacing of the Karaj-Chalus road"
TITLE_FA = "بهسازی جاده کرج-چالوس"
LOTS = [
    # (title, title_fa, estimated value, bid security, items with a UN/ECE Rec 20 unit)
    (
        "Section 1: Karaj to Gachsar",
        "بخش یکم: کرج تا گچسر",
        "60000000000.00",
        "1200000000.00",
        [
            ("Asphalt milling", "42000", "MTK", ""),
            ("Asphalt concrete", "9500.5", "TNE", "44113620-7"),
        ],
    ),
    (
        "Section 2: Gachsar to Chalus",
        "بخش دوم: گچسر تا چالوس",
        "65000000000.00",
        "1300000000.00",
        [("Guard rails", "1800", "MTR", "")],
    ),
]
QUESTION = "May a bidder offer both lots with a single bid security?"
ANSWER = "No: each lot needs its own bid security, in the amount stated for that lot."
AMENDMENT_SUMMARY = "The submission deadline is extended by two hours."


@pytest.fixture(autouse=True)
def _fresh_private_storage():
    """Tender and supplier documents land in an empty in-memory private storage."""
    storages._storages.pop("private", None)
    private_storage._wrapped = empty
    yield
    storages._storages.pop("private", None)
    private_storage._wrapped = empty


@pytest.fixture
def short_periods(settings):
    """No minimum tendering period, so that real deadlines can be hours away."""
    settings.TENDER_MIN_PERIOD_DAYS = {"open": 0, "restricted": 0, "rfq": 0}


def feed_entry_ids(page, live_server) -> list[str]:
    """The ids of the Atom feed's entries, fetched over HTTP from the live server."""
    response = page.request.get(f"{live_server.url}/tenders/feed/")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())  # noqa: S314 (our own server's answer)
    return [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]


def minute(moment: datetime.datetime) -> datetime.datetime:
    return moment.replace(second=0, microsecond=0)


def local(moment: datetime.datetime) -> str:
    """The value a datetime-local input takes: Tehran time, to the minute."""
    return moment.astimezone(TEHRAN).strftime("%Y-%m-%dT%H:%M")


# --- the officer drafts, in English ------------------------------------------------------------


def officer_drafts_the_tender(page, live_server, screenshot, team, dates, tmp_path) -> Tender:
    page.goto(f"{live_server.url}/buyer/tenders/new/")
    page.fill("input[name=reference]", REFERENCE)
    page.fill("input[name=title]", TITLE)
    page.fill("input[name=title_fa]", TITLE_FA)
    page.fill("textarea[name=description]", "Milling and resurfacing of 42 km of road.")
    page.fill("textarea[name=description_fa]", "تراش و روکش ۴۲ کیلومتر جاده.")
    page.select_option("select[name=procurement_method]", "open")
    page.select_option("select[name=main_category]", "works")
    page.fill("input[name=cpv_code]", "45233120-6")
    page.fill("input[name=estimated_value_amount]", "125,000,000,000")
    page.select_option("select[name=estimated_value_currency]", "IRR")
    page.fill("input[name=document_fee_amount]", "5000000")
    page.select_option("select[name=document_fee_currency]", "IRR")
    screenshot(page, "en-officer-new")
    submit(page, "main form button[type=submit]")
    tender = Tender.objects.get(reference=REFERENCE)
    base = f"{live_server.url}/buyer/tenders/{tender.pk}"
    assert page.url == f"{base}/lots/"

    # step 2: two lots, each with its items
    for title, title_fa, value, security, items in LOTS:
        form = page.locator("form:has(button:text-is('Add the lot'))")
        form.locator("input[name=title]").fill(title)
        form.locator("input[name=title_fa]").fill(title_fa)
        form.locator("textarea[name=description]").fill(f"{title}, 21 km.")
        form.locator("input[name=estimated_value_amount]").fill(value)
        form.locator("input[name=bid_security_amount]").fill(security)
        submit(page, "form:has(button:text-is('Add the lot')) button[type=submit]")
        assert page.url == f"{base}/lots/"
        lot = tender.lots.get(title=title)
        for description, quantity, unit, cpv in items:
            section = page.locator(f"section[aria-labelledby='lot-{lot.pk}']")
            section.locator("details summary").click()
            item_form = section.locator("form[action$='/items/']")
            item_form.locator("[name=description]").fill(description)
            item_form.locator("input[name=quantity]").fill(quantity)
            item_form.locator("select[name=unit]").select_option(unit)
            item_form.locator("input[name=cpv_code]").fill(cpv)
            with page.expect_navigation():
                item_form.locator("button[type=submit]").click()
            assert page.url == f"{base}/lots/"
    assert page.locator(".invalid-feedback, .errorlist").count() == 0
    assert page.locator("main section.card[aria-labelledby^='lot-']").count() == 2
    screenshot(page, "en-officer-step-lots")
    with page.expect_navigation():
        page.click("main a.btn-primary:text-is('Next step')")
    assert page.url == f"{base}/requirements/"

    # step 3: requirements
    page.check("input[name=required_documents][value=tax_clearance]")
    page.check("input[name=required_documents][value=social_security]")
    page.fill("textarea[name=required_declarations]", "No conflict of interest")
    screenshot(page, "en-officer-step-requirements")
    submit(page, "main form button[type=submit]")
    assert page.url == f"{base}/timeline/"

    # step 4: the timeline, typed in Tehran time
    page.fill("input[name=clarification_deadline]", local(dates["clarification"]))
    page.fill("input[name=submission_deadline]", local(dates["submission"]))
    page.fill("input[name=opening_at]", local(dates["opening"]))
    screenshot(page, "en-officer-step-timeline")
    submit(page, "main form button[type=submit]")
    assert page.url == f"{base}/evaluation/"

    # step 5: evaluation, weighted scoring
    page.select_option("select[name=envelope_scheme]", "two")
    page.select_option("select[name=evaluation_method]", "weighted_scoring")
    page.fill("textarea[name=criteria]", "Experience = 30\nMethodology = 30\nPrice = 40")
    screenshot(page, "en-officer-step-evaluation")
    submit(page, "main form button[type=submit]")
    assert page.url == f"{base}/committees/", page.locator("main").inner_text()

    # step 6: committees and the approver
    page.select_option("select[name=approver]", str(team.approver.pk))
    for member in team.opening:
        page.check(f"input[name=opening_committee][value='{member.pk}']")
    page.fill("input[name=opening_threshold]", "2")
    for member in team.evaluation:
        page.check(f"input[name=evaluation_committee][value='{member.pk}']")
    screenshot(page, "en-officer-step-committees")
    submit(page, "main form button[type=submit]")
    assert page.url == f"{base}/documents/"

    # step 7: one tender document
    page.fill("input[name=title]", "Technical specifications")
    page.set_input_files(
        "input[name=file]", make_pdf(tmp_path, "specifications.pdf", "specifications")
    )
    submit(page, "main form[enctype='multipart/form-data'] button[type=submit]")
    assert page.url == f"{base}/documents/"
    assert page.locator(".invalid-feedback, .errorlist").count() == 0
    screenshot(page, "en-officer-step-documents")
    with page.expect_navigation():
        page.click("main a.btn-primary:text-is('Review the tender')")
    assert page.url == f"{base}/"

    # the review: submit for approval
    screenshot(page, "en-officer-review")
    submit(page, "form[action$='/submit/'] button[type=submit]")
    assert page.url == f"{base}/"
    assert page.locator("#action-error").count() == 0
    screenshot(page, "en-officer-submitted")
    tender.refresh_from_db()
    return tender


# --- the walk ----------------------------------------------------------------------------------


def test_a_two_lot_tender_is_drafted_approved_published_clarified_amended_and_closes(
    open_session, live_server, screenshot, tmp_path, short_periods
):
    mail.outbox = []
    team = buyer_team()
    _supplier, representative, _reviewer = supplier_in_state("verified")
    reader = UserFactory(email="reader@news.example", language="fa")
    start = minute(timezone.now())
    dates = {
        "clarification": start + datetime.timedelta(hours=2),
        "submission": start + datetime.timedelta(hours=3),
        "opening": start + datetime.timedelta(hours=3, minutes=30),
    }
    extended = {
        "submission": start + datetime.timedelta(hours=5),
        "opening": start + datetime.timedelta(hours=5, minutes=30),
    }
    officer_page = open_session("en-US")
    approver_page = open_session("fa-IR")
    public_page = open_session("en-US")
    supplier_page = open_session("en-US")

    # given an officer signed in with a TOTP code
    sign_in(
        officer_page,
        live_server,
        screenshot,
        "en-officer",
        team.officer,
        "/buyer/tenders/new/",
        second_factor=True,
    )

    # when the officer drafts a two-lot tender through the wizard and submits it
    tender = officer_drafts_the_tender(officer_page, live_server, screenshot, team, dates, tmp_path)

    # then it awaits approval, with every field as typed
    assert tender.state == TenderState.AWAITING_APPROVAL
    assert (
        tender.title_fa,
        tender.estimated_value,
        tender.clarification_deadline,
        tender.submission_deadline,
        tender.opening_at,
        tender.required_documents,
        tender.required_declarations,
        tender.evaluation_config,
        tender.opening_threshold,
        tender.approver,
    ) == (
        TITLE_FA,
        Money("125000000000.00", "IRR"),
        dates["clarification"],
        dates["submission"],
        dates["opening"],
        ["tax_clearance", "social_security"],
        ["No conflict of interest"],
        {
            "criteria": [
                {"name": "Experience", "weight": "30"},
                {"name": "Methodology", "weight": "30"},
                {"name": "Price", "weight": "40"},
            ]
        },
        2,
        team.approver,
    )
    assert [
        (lot.number, lot.title, lot.estimated_value, lot.bid_security)
        for lot in tender.lots.order_by("number")
    ] == [
        (1, LOTS[0][0], Money(LOTS[0][2], "IRR"), Money(LOTS[0][3], "IRR")),
        (2, LOTS[1][0], Money(LOTS[1][2], "IRR"), Money(LOTS[1][3], "IRR")),
    ]
    assert [
        [(i.description, i.quantity, i.unit, i.cpv_code) for i in lot.items.order_by("pk")]
        for lot in tender.lots.order_by("number")
    ] == [
        [
            ("Asphalt milling", Decimal("42000"), "MTK", ""),
            ("Asphalt concrete", Decimal("9500.5"), "TNE", "44113620-7"),
        ],
        [("Guard rails", Decimal("1800"), "MTR", "")],
    ]
    assert tender.documents.count() == 1

    # and nobody outside sees it yet
    public_page.goto(f"{live_server.url}/tenders/")
    assert public_page.locator(f"main a[href='/tenders/{tender.pk}/']").count() == 0
    assert public_page.goto(f"{live_server.url}/tenders/{tender.pk}/").status == 404
    assert f"urn:panjere:tender:{tender.ocid}:published" not in feed_entry_ids(
        public_page, live_server
    )

    # when the approver, in Persian, approves and publishes it
    detail = f"/buyer/tenders/{tender.pk}/"
    sign_in(
        approver_page,
        live_server,
        screenshot,
        "fa-approver",
        team.approver,
        detail,
        second_factor=True,
    )
    assert_persian(approver_page)
    assert approver_page.locator("h1").inner_text().strip().startswith(TITLE_FA)
    screenshot(approver_page, "fa-approver-detail")
    submit(approver_page, "form[action$='/approve/'] button[type=submit]")
    assert approver_page.url == f"{live_server.url}{detail}"
    assert approver_page.locator("#action-error").count() == 0
    assert_persian(approver_page)
    screenshot(approver_page, "fa-approver-published")

    # then it is public: on the list, on its notice and in the feed
    tender.refresh_from_db()
    assert tender.state == TenderState.PUBLISHED
    assert tender.approved_by == team.approver
    public_page.goto(f"{live_server.url}/tenders/")
    assert public_page.locator(f"main a[href='/tenders/{tender.pk}/']").count() >= 1
    screenshot(public_page, "en-public-list")
    public_page.goto(f"{live_server.url}/tenders/{tender.ocid}/")
    assert TITLE in public_page.locator("h1").inner_text()
    assert public_page.locator(".lot").count() == 2
    assert public_page.locator(".tender-documents tbody tr").count() == 1
    assert public_page.locator("#countdown").inner_text().strip() != ""
    screenshot(public_page, "en-public-notice")
    ids = feed_entry_ids(public_page, live_server)
    assert f"urn:panjere:tender:{tender.ocid}:published" in ids

    # (a reader who reads Persian follows it too, from the API's side of things)
    services.tender_follow(actor=reader, tender=tender)

    # when the supplier's representative follows it and asks a question
    notice = f"/tenders/{tender.pk}/"
    sign_in(
        supplier_page,
        live_server,
        screenshot,
        "en-supplier",
        representative,
        notice,
        second_factor=False,
    )
    submit(supplier_page, "form#follow-form button[name=follow]")
    assert supplier_page.locator("form#unfollow-form").count() == 1
    supplier_page.goto(f"{live_server.url}{notice}")
    supplier_page.fill("form#ask-form textarea[name=question]", QUESTION)
    screenshot(supplier_page, "en-supplier-asks")
    submit(supplier_page, "form#ask-form button[name=ask]")
    assert supplier_page.locator(".errorlist, .invalid-feedback").count() == 0
    assert sorted(Follow.objects.filter(tender=tender).values_list("user_id", flat=True)) == sorted(
        [representative.pk, reader.pk]
    )
    clarification = Clarification.objects.get(tender=tender)
    assert (clarification.number, clarification.question, clarification.answered_at) == (
        1,
        QUESTION,
        None,
    )

    # and the officer answers it
    officer_page.goto(f"{live_server.url}{detail}")
    answer_form = officer_page.locator(
        f"form[action$='/clarifications/{clarification.pk}/answer/']"
    )
    answer_form.locator("textarea[name=answer]").fill(ANSWER)
    screenshot(officer_page, "en-officer-answers")
    with officer_page.expect_navigation():
        answer_form.locator("button[type=submit]").click()
    assert officer_page.url == f"{live_server.url}{detail}"

    # then the supplier reads the answer on the notice
    supplier_page.goto(f"{live_server.url}{notice}")
    published = supplier_page.locator("#clarification-1")
    assert published.locator(".question").inner_text().strip() == QUESTION
    assert published.locator(".answer").inner_text().strip() == ANSWER
    screenshot(supplier_page, "en-supplier-reads-answer")

    # when the officer publishes an amendment extending the submission deadline
    mail.outbox = []
    officer_page.goto(f"{live_server.url}/buyer/tenders/{tender.pk}/amend/")
    officer_page.fill("input[name=summary]", AMENDMENT_SUMMARY)
    officer_page.fill("input[name=submission_deadline]", local(extended["submission"]))
    officer_page.fill("input[name=opening_at]", local(extended["opening"]))
    screenshot(officer_page, "en-officer-amend")
    submit(officer_page, "main form button[type=submit]")
    assert officer_page.url == f"{live_server.url}{detail}", officer_page.locator(
        "main"
    ).inner_text()

    # then the tender has the new deadline and the amendment is public
    tender.refresh_from_db()
    assert (tender.submission_deadline, tender.opening_at) == (
        extended["submission"],
        extended["opening"],
    )
    amendment = Amendment.objects.get(tender=tender)
    assert (amendment.number, amendment.material, sorted(amendment.changes)) == (
        1,
        False,
        ["opening_at", "submission_deadline"],
    )
    public_page.goto(f"{live_server.url}{notice}")
    shown = public_page.locator("#amendment-1")
    assert shown.locator(".amendment-summary").inner_text().strip() == AMENDMENT_SUMMARY
    assert shown.locator("tr[data-field=submission_deadline]").count() == 1
    screenshot(public_page, "en-public-notice-amended")
    persian_page = open_session("fa-IR")
    persian_page.goto(f"{live_server.url}{notice}")
    assert_persian(persian_page)
    assert persian_page.locator("#amendment-1 tr[data-field=submission_deadline]").count() == 1
    screenshot(persian_page, "fa-public-notice-amended")
    ids = feed_entry_ids(public_page, live_server)
    assert f"urn:panjere:tender:{tender.ocid}:amendment:1" in ids

    # and every follower is told, in the app and by email, each in their own language
    told = Notification.objects.filter(kind="tender.amended").order_by("recipient_id")
    assert sorted(told.values_list("recipient_id", "language", "url")) == sorted(
        [(representative.pk, "en", notice), (reader.pk, "fa", notice)]
    )
    for notification in told:
        assert AMENDMENT_SUMMARY in notification.body
        assert notification.emailed_at is not None
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [representative.email, reader.email]
    )
    assert all(AMENDMENT_SUMMARY in message.body for message in mail.outbox)
    assert told.get(recipient=reader).title.startswith("مناقصه")

    # when the deadline passes and the beat sweep runs
    with frozen_at(extended["submission"] + datetime.timedelta(seconds=1)):
        assert tasks.close_due.delay().get() == 1
        assert tasks.close_due.delay().get() == 0

        # then the tender is closed, and its notice says so
        tender.refresh_from_db()
        assert tender.state == TenderState.CLOSED
        assert tender.closed_at == extended["submission"] + datetime.timedelta(seconds=1)
        public_page.goto(f"{live_server.url}{notice}")
        assert (
            public_page.locator("h1")
            .inner_text()
            .strip()
            .endswith(english(TenderState.CLOSED.label))
        )
        assert public_page.locator("#countdown").get_attribute("data-deadline") is None
        screenshot(public_page, "en-public-notice-closed")
        persian_page.goto(f"{live_server.url}{notice}")
        assert persian(TenderState.CLOSED.label) in persian_page.locator("h1").inner_text()
        screenshot(persian_page, "fa-public-notice-closed")
    assert sorted(
        Notification.objects.filter(kind="tender.closed").values_list("recipient_id", flat=True)
    ) == sorted([team.officer.pk, representative.pk, reader.pk])

    # and every step is on the audit trail, in order, with who did it
    trail = list(
        Event.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))
        .order_by("pk")
        .values_list("action", "actor__user_id")
    )
    officer, approver = team.officer.pk, team.approver.pk
    assert trail == [
        ("tender.created", officer),
        ("tender.lot_added", officer),
        ("tender.item_added", officer),
        ("tender.item_added", officer),
        ("tender.lot_added", officer),
        ("tender.item_added", officer),
        ("tender.updated", officer),  # requirements
        ("tender.updated", officer),  # timeline
        ("tender.updated", officer),  # evaluation
        ("tender.updated", officer),  # committees and approver
        *[("tender.committee_member_added", officer)] * 4,  # 3 openers, 1 evaluator
        ("tender.document_uploaded", officer),
        ("tender.submitted_for_approval", officer),
        ("tender.published", approver),
        ("tender.clarification_asked", representative.pk),
        ("tender.clarification_answered", officer),
        ("tender.amended", officer),
        ("tender.closed", None),
    ]
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert out.getvalue().startswith("Audit trail intact: ")

    # and every OCDS release it produced is valid, as is its record
    releases = list(Release.objects.filter(tender=tender).order_by("sequence"))
    assert [release.tag for release in releases] == [
        ocds.TAG_TENDER,
        ocds.TAG_UPDATE,
        ocds.TAG_AMENDMENT,
        ocds.TAG_UPDATE,
    ]
    for release in releases:
        package = ocds.release_package([release], uri="https://example.org/package.json")
        assert errors(package, "release-package-schema.json") == []
        assert codelist_errors(release.data) == []
    record = ocds.record_package(
        releases,
        uri="https://example.org/record.json",
        release_url=lambda r: f"https://example.org/releases/{r.pk}",
    )
    assert errors(record, "record-package-schema.json") == []
    compiled = record["records"][0]["compiledRelease"]
    assert [item["description"] for item in compiled["tender"]["items"]] == [
        TITLE,
        "Asphalt milling",
        "Asphalt concrete",
        "Guard rails",
    ]
    assert compiled["tender"]["tenderPeriod"]["endDate"] == ocds._date(extended["submission"])
    assert [a["id"] for a in compiled["tender"]["amendments"]] == ["1"]
