"""axe-core (WCAG 2.2 AA) finds nothing on the public pages and a supplier's signed-in pages,
in English and in Persian, on a desktop screen (issue 11, "Accessible to everyone").

The walks photograph and check the pages of their stories; this one visits the pages
every reader opens first, those where the issue found violations (the supplier's
dashboard and notifications: colour contrast; the API tokens page: target size), and
the officer's and the auditor's pages, which the walks see in one language only.
"""

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_PASSWORD
from suppliers.models import Supplier
from tenders.models import Tender
from tests.e2e.axe import assert_no_axe_violations
from tests.e2e.test_pages_on_a_phone import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = [("en-US", "en"), ("fa-IR", "fa")]
SUPPLIER_ADMIN = "admin@alborz.example"
OFFICER = "officer@roads.example"
AUDITOR = "auditor@ppa.example"
VERIFIER = "verifier@ppa.example"

PUBLIC_PAGES = [
    ("/", "home"),
    ("/tenders/", "list"),
    ("/tenders/?q=road&sort=deadline", "list-searched"),
    ("/tenders/{ocid}/", "notice"),
    ("/tenders/{cancelled}/", "notice-cancelled"),
    ("/debarments/", "debarments"),
    ("/accounts/login/", "login"),
    ("/accounts/signup/", "signup"),
    ("/accounts/password-reset/", "password-reset"),
]

SUPPLIER_PAGES = [
    ("/dashboard/", "dashboard"),
    ("/notifications/", "notifications"),
    ("/accounts/tokens/", "tokens"),
    ("/accounts/", "profile"),
    ("/suppliers/", "my-registrations"),
    ("/tenders/matching/", "matching"),
    ("/tenders/following/", "following"),
    ("/tenders/questions/", "questions"),
]


@pytest.fixture
def demo_data():
    call_command("demo_data", verbosity=0)


def check(page, path: str, screenshot, name: str):
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    assert_no_axe_violations(page)
    screenshot(page, name)


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_public_pages_have_no_axe_violations(
    open_session, live_server, screenshot, demo_data, locale, language
):
    page = open_session(locale)
    keys = {
        "ocid": Tender.objects.get(reference="T-DEMO-001").ocid,
        "cancelled": Tender.objects.get(reference="T-DEMO-005").ocid,
    }
    for path, name in PUBLIC_PAGES:
        check(page, live_server.url + path.format(**keys), screenshot, f"{language}-{name}")
        if name == "list":
            # on a wide screen the filters stand beside the results, unfolded
            assert page.locator("details.tender-filters-fold").get_attribute("open") is None
            assert page.locator("form.tender-filters input[name=q]").is_visible()
            assert not page.locator("details.tender-filters-fold summary").is_visible()
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_a_suppliers_signed_in_pages_have_no_axe_violations(
    open_session, live_server, screenshot, demo_data, locale, language
):
    page = open_session(locale)
    sign_in(page, live_server, SUPPLIER_ADMIN, DEMO_PASSWORD, second_factor=False)
    for path, name in SUPPLIER_PAGES:
        check(page, live_server.url + path, screenshot, f"{language}-supplier-{name}")
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize(("locale", "language"), LANGUAGES)
def test_the_officers_the_verifiers_and_the_auditors_pages_have_no_axe_violations(
    open_session, live_server, screenshot, demo_data, locale, language
):
    # the walks see these in one language each: here, in both
    submitted = Supplier.objects.get(legal_name="Caspian Builders Co.")
    officer = open_session(locale)
    sign_in(officer, live_server, OFFICER, DEMO_PASSWORD, second_factor=True)
    for path, name in (
        ("/dashboard/", "dashboard"),
        ("/buyer/tenders/", "tenders"),
    ):
        check(officer, live_server.url + path, screenshot, f"{language}-officer-{name}")

    # supplier registrations are reviewed by the oversight body's verifying officers
    verifier = open_session(locale)
    sign_in(verifier, live_server, VERIFIER, DEMO_PASSWORD, second_factor=True)
    for path, name in (
        ("/dashboard/", "dashboard"),
        ("/suppliers/review/", "supplier-queue"),
        (f"/suppliers/review/{submitted.pk}/", "supplier-review"),
    ):
        check(verifier, live_server.url + path, screenshot, f"{language}-verifier-{name}")

    auditor = open_session(locale)
    sign_in(auditor, live_server, AUDITOR, DEMO_PASSWORD, second_factor=True)
    for path, name in (
        ("/audit/", "events"),
        (f"/audit/object/suppliers.supplier/{submitted.pk}/", "supplier-timeline"),
        ("/audit/verify/", "verify"),
        ("/audit/checkpoints/", "checkpoints"),
    ):
        check(auditor, live_server.url + path, screenshot, f"{language}-auditor-{name}")
