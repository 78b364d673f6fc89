"""The real-browser harness: Playwright drives Debian's Chromium against the live server.

Every test here is marked `browser` (the root conftest skips it with a reason,
or fails it in CI, when Chromium is missing) and uses a transactional database,
because the live server answers from another thread. Tests use
pytest-playwright's `page` / `context` / `new_context` fixtures and
`@pytest.mark.browser_context_args(locale="fa-IR")` for a Persian browser.

Playwright's sync API keeps an asyncio loop running in the main thread for as
long as it is started. pytest-playwright starts it once per session, which
would leave that loop running under every test that pytest orders after these
(pytest-django runs transactional tests last, and they would then fail on
Django's async-safety check or on their own `sync_playwright()`). So here
Playwright, the browser and Django's permission to use the ORM beside the
loop live only as long as this package's tests (scope "package").

Screenshots of each step land in `test-artifacts/screenshots/` (gitignored).
Every page a test takes a screenshot of is first checked with axe-core against
the WCAG 2.2 AA rules (tests/e2e/axe.py); the test fails at its end with every
violation found on every page, so one run shows all there is to fix.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.e2e.axe import axe_violations, describe

CHROMIUM = os.environ.get("PANJERE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

CHROMIUM_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-gpu",
]


@pytest.fixture(scope="package", autouse=True)
def _orm_allowed_beside_playwright():
    """Let the tests' own ORM calls run while Playwright's loop runs in their thread.

    Django refuses ORM calls in a thread with a running event loop; here that loop
    is only Playwright's, and the live server answers from its own thread.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright cannot download its own build here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="package")
def playwright():
    with sync_playwright() as started:
        yield started


@pytest.fixture(scope="package")
def browser_type(playwright, browser_name):
    return getattr(playwright, browser_name)


@pytest.fixture(scope="package")
def launch_browser(browser_type_launch_args, browser_type):
    def launch(**kwargs):
        return browser_type.launch(**{**browser_type_launch_args, **kwargs})

    return launch


@pytest.fixture(scope="package")
def browser(launch_browser):
    started = launch_browser()
    yield started
    started.close()


@pytest.fixture(scope="package")
def browser_context_args():
    """English by default, as most browsers send; a test asks for Persian explicitly."""
    return {"locale": "en-US", "viewport": {"width": 1280, "height": 800}}


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "login-page")` checks the page with axe-core, then saves it.

    The picture lands in test-artifacts/screenshots/<test>--<n>-<name>.png; the
    accessibility violations of all the test's pages fail the test when it ends.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    taken = []
    found = []

    def take(page, name: str) -> Path:
        taken.append(name)
        violations = axe_violations(page)
        if violations:
            found.append(f"{name} ({page.url}):\n{describe(violations)}")
        path = SCREENSHOTS / f"{test_name}--{len(taken):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    yield take
    if found:
        pytest.fail("axe-core found WCAG 2.2 AA violations:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def open_session(browser, browser_context_args):
    """`open_session("fa-IR")`: a new page in a browser session of its own, in that language.

    A walk where several people take turns (a supplier, an officer, an auditor)
    needs one session each, with its own cookies. pytest-playwright's
    `new_context` cannot take another locale than the test's marker gives.
    """
    contexts = []

    def open_page(locale: str = "en-US"):
        context = browser.new_context(**{**browser_context_args, "locale": locale})
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
