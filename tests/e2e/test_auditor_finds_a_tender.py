"""In a real browser: the demo auditor finds a tender's history by its name, in English and
Persian, and the trail fits a 1280-pixel window without sideways scrolling."""

import pytest
from django.core.management import call_command

from audit.models import Event
from tenders.models import Tender

from .test_login_in_two_languages import sign_in, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDITOR = "auditor@ppa.example"


def page_width(page) -> tuple[int, int]:
    """(the document's full width, the window's width): equal when nothing scrolls sideways."""
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


def test_the_auditor_finds_a_tenders_history_by_its_name(page, live_server, screenshot):
    call_command("demo_data", verbosity=0)
    tender = Tender.objects.get(reference="T-DEMO-001")
    history = Event.objects.filter(object_type="tenders.tender", object_id=str(tender.pk))

    # given the auditor signed in, on the audit trail
    sign_in(page, live_server, screenshot, AUDITOR, "en")
    page.goto(f"{live_server.url}/audit/")
    width, window = page_width(page)
    assert width <= window == 1280
    screenshot(page, "en-trail")

    # when she types a part of the tender's title in "About" and filters
    page.fill("input[name=object]", "Karaj-Chalus")
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()

    # then exactly that tender's events are listed, as sentences about the named tender
    rows = page.locator("table.audit-events > tbody > tr")
    assert rows.count() == history.count()
    first = rows.last
    assert first.locator(".audit-sentence").inner_text() == "Tender drafted"
    assert first.get_by_role(
        "link", name="T-DEMO-001 — Resurfacing of the Karaj-Chalus road"
    ).count()
    width, window = page_width(page)
    assert width <= window
    screenshot(page, "en-tender-history")

    # and in Persian, by the Persian title, in Persian words
    switch_language(page, "fa")
    page.fill("input[name=object]", "محور کرج")
    with page.expect_navigation():
        page.get_by_role("button", name="پالایش").click()
    rows = page.locator("table.audit-events > tbody > tr")
    assert rows.count() == history.count()
    assert rows.last.locator(".audit-sentence").inner_text() == "پیش‌نویس مناقصه ساخته شد"
    width, window = page_width(page)
    assert width <= window
    screenshot(page, "fa-tender-history")
