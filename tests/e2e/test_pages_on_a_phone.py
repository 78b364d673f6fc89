"""On a phone 390 pixels wide, in English and in Persian (issue 11, "Phones").

The public list, a notice, the supplier's registration wizard, the buyer's tender
wizard and the dashboards fit the screen without sideways scrolling; on the
notice the deadline and the status come before the rest, and on the list the
results come before the filters, which fold away. Every page is photographed
(test-artifacts/screenshots/) and checked with axe-core by the `screenshot`
fixture.
"""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from tenders.models import Tender
from tests.e2e.test_login_in_two_languages import current_code
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANGUAGES = [("en-US", "en"), ("fa-IR", "fa")]
OFFICER = "officer@roads.example"
SUPPLIER_ADMIN = "admin@alborz.example"


@pytest.fixture
def demo_data():
    call_command("demo_data", verbosity=0)


@pytest.fixture
def open_phone(browser):
    """`open_phone("fa-IR")`: a page on a 390 by 844 touch screen, in a session of its own."""
    contexts = []

    def open_page(locale: str):
        context = browser.new_context(
            locale=locale, viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1
        )
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def page_width(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def overflowing(page) -> list[str]:
    """Elements whose right or left edge lies outside the screen: what makes a page scroll."""
    return page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const out = [];
        for (const element of document.querySelectorAll("body *")) {
            const box = element.getBoundingClientRect();
            if (box.width === 0 || getComputedStyle(element).visibility === "hidden") continue;
            if (box.right > width + 0.5 || box.left < -0.5) {
                out.push(`${element.tagName.toLowerCase()}.${element.className} ` +
                         `[${Math.round(box.left)}, ${Math.round(box.right)}]`);
            }
        }
        return out.slice(0, 25);
    }"""
    )


@pytest.fixture
def fits(screenshot):
    """`fits(page, name)`: photograph the page (axe-core checks it) and measure its width.

    Every page too wide for the phone is listed when the test ends, with the elements that
    stick out, so that one run shows all there is to fix.
    """
    too_wide = []

    def check(page, name: str):
        page.wait_for_load_state("load")
        screenshot(page, name)
        if page_width(page) > PHONE["width"]:
            too_wide.append((name, page_width(page), overflowing(page)))

    yield check
    if too_wide:
        pytest.fail(
            "Wider than the phone:\n"
            + "\n".join(f"{name}: {width} px, {', '.join(out)}" for name, width, out in too_wide),
            pytrace=False,
        )


@pytest.fixture
def visit(live_server, fits):
    """`visit(page, path, name)`: open the page, then check that it fits."""

    def open_and_check(page, path: str, name: str):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        fits(page, name)

    return open_and_check


def top(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def sign_in(page, live_server, email: str, password: str, *, second_factor: bool):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    if second_factor:
        page.fill("input[name=otp_token]", current_code(email))
        with page.expect_navigation():
            page.press("input[name=otp_token]", "Enter")
    assert "/accounts/" not in page.url, page.url


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_the_public_list_and_a_notice_fit_a_phone(
    open_phone, live_server, fits, visit, demo_data, locale, language
):
    page = open_phone(locale)

    # the home page
    visit(page, "/", f"{language}-phone-home")
    assert page.locator("html").get_attribute("lang") == language

    # the list: the results come before the filters, which are folded away
    visit(page, "/tenders/", f"{language}-phone-list")
    assert page.locator("table.tender-list tbody tr").count() >= 1
    assert top(page, "table.tender-list") < top(page, "details.tender-filters-fold")
    assert page.locator("details.tender-filters-fold").get_attribute("open") is None
    assert not page.locator("form.tender-filters input[name=q]").is_visible()

    # unfolded, the filters are there to use, and the filtered list still fits
    page.locator("details.tender-filters-fold summary").click()
    assert page.locator("form.tender-filters input[name=q]").is_visible()
    fits(page, f"{language}-phone-list-filters-open")
    page.fill("form.tender-filters input[name=q]", "Chalus")
    with page.expect_navigation():
        page.locator("form.tender-filters button[type=submit]").click()
    rows = page.locator("table.tender-list tbody tr")
    assert rows.evaluate_all("rows => rows.map(row => row.dataset.reference)") == ["T-DEMO-001"]
    assert page.locator("details.tender-filters-fold").get_attribute("open") is not None
    fits(page, f"{language}-phone-list-filtered")

    # a notice: the status and the deadline come before its body
    tender = Tender.objects.get(reference="T-DEMO-001")
    visit(page, f"/tenders/{tender.ocid}/", f"{language}-phone-notice")
    deadline = top(page, ".countdown-box")
    assert top(page, "h1 .tender-state") < deadline
    assert deadline < top(page, "#facts-heading")
    assert deadline < PHONE["height"]

    # the OCID and the documents' hashes wrap, each with a button that copies it
    assert page.locator("button.copy-button").count() == 1 + tender.documents.count()
    copy = page.locator(".tender-notice header code[data-copy] + button.copy-button")
    assert copy.inner_text() == {"en": "Copy", "fa": "کپی"}[language]
    copy.click()
    expect(copy).to_have_text({"en": "Copied", "fa": "کپی شد"}[language])
    assert page.evaluate("() => navigator.clipboard.readText()") == tender.ocid


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_the_supplier_registration_wizard_and_dashboard_fit_a_phone(
    open_phone, live_server, fits, visit, demo_data, locale, language
):
    page = open_phone(locale)
    user = UserFactory(email=f"phone-{language}@example.com", name="Phone Tester")
    sign_in(page, live_server, user.email, PASSWORD, second_factor=False)
    fits(page, f"{language}-phone-new-user-dashboard")

    # the registration starts with the legal name and the country
    visit(page, "/suppliers/register/", f"{language}-phone-register")
    page.fill("input[name=legal_name]", "Caspian Road and Bridge Builders Cooperative Ltd.")
    page.select_option("select[name=country]", "IR")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    supplier_pk = int(re.search(r"/suppliers/(\d+)/edit/company/$", page.url).group(1))
    fits(page, f"{language}-phone-register-company")

    # every step of the wizard fits
    for step in ("address", "categories", "representatives", "documents", "review"):
        visit(
            page,
            f"/suppliers/{supplier_pk}/edit/{step}/",
            f"{language}-phone-register-{step}",
        )
    visit(page, f"/suppliers/{supplier_pk}/", f"{language}-phone-supplier")

    # a verified supplier's signed-in pages: its dashboard, notifications and API tokens
    supplier_page = open_phone(locale)
    sign_in(supplier_page, live_server, SUPPLIER_ADMIN, DEMO_PASSWORD, second_factor=False)
    for path, name in (
        ("/dashboard/", "dashboard"),
        ("/notifications/", "notifications"),
        ("/accounts/tokens/", "tokens"),
        ("/tenders/matching/", "matching"),
    ):
        visit(supplier_page, path, f"{language}-phone-supplier-{name}")


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_the_buyer_wizard_and_dashboard_fit_a_phone(
    open_phone, live_server, fits, visit, demo_data, locale, language
):
    page = open_phone(locale)
    sign_in(page, live_server, OFFICER, DEMO_PASSWORD, second_factor=True)
    visit(page, "/dashboard/", f"{language}-phone-officer-dashboard")
    visit(page, "/buyer/tenders/", f"{language}-phone-officer-tenders")
    visit(page, "/buyer/tenders/new/", f"{language}-phone-officer-new")

    # every step of the demo's draft, and its review
    draft = Tender.objects.get(reference="T-DEMO-004")
    for step in (
        "basics",
        "lots",
        "requirements",
        "timeline",
        "evaluation",
        "committees",
        "documents",
    ):
        visit(
            page,
            f"/buyer/tenders/{draft.pk}/{step}/",
            f"{language}-phone-officer-step-{step}",
        )
    visit(page, f"/buyer/tenders/{draft.pk}/", f"{language}-phone-review")

    # a published tender, as its buyer sees it
    published = Tender.objects.get(reference="T-DEMO-001")
    visit(
        page,
        f"/buyer/tenders/{published.pk}/",
        f"{language}-phone-officer-published",
    )
