"""In a real browser: the demo procurement officer signs in with a password and a TOTP code,
reaches the dashboard, and reads it in English (left to right) and Persian (right to left)."""

import pytest
from django.core.management import call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import DEMO_PASSWORD, DEVICE_NAME
from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICER = "officer@roads.example"
MINISTRY_EN = "Ministry of Roads and Urban Development"
MINISTRY_FA = "وزارت راه و شهرسازی"


@pytest.fixture
def demo_data():
    call_command("demo_data", verbosity=0)


def current_code(email: str) -> str:
    """The code an authenticator app holding the demo secret shows right now."""
    device = TOTPDevice.objects.get(user__email=email, name=DEVICE_NAME)
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{code:0{device.digits}d}"


def direction(page) -> tuple[str, str]:
    html = page.locator("html")
    return html.get_attribute("lang"), html.get_attribute("dir")


def brand_side(page) -> str:
    """Which half of the window the brand sits in: "left" or "right"."""
    box = page.locator(".navbar-brand").bounding_box()
    width = page.viewport_size["width"]
    return "left" if box["x"] + box["width"] / 2 < width / 2 else "right"


def sign_in(page, live_server, screenshot, email: str, language: str):
    page.goto(f"{live_server.url}/accounts/login/")
    screenshot(page, f"{language}-login-page")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url("**/accounts/two-factor/**")
    screenshot(page, f"{language}-two-factor-step")
    page.fill("input[name=otp_token]", current_code(email))
    page.press("input[name=otp_token]", "Enter")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def switch_language(page, language: str):
    """Pick a language in the header's switcher and submit it, as a user would."""
    page.select_option("#language-switcher", language)
    with page.expect_navigation():
        page.locator("form:has(#language-switcher) [type=submit]").click()


def test_officer_signs_in_in_english_and_switches_to_persian(
    page, live_server, screenshot, demo_data
):
    # given a browser that asks for English
    # when the officer signs in with password and TOTP code
    sign_in(page, live_server, screenshot, OFFICER, "en")

    # then the dashboard is in English, left to right
    screenshot(page, "en-dashboard")
    assert direction(page) == ("en", "ltr")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert MINISTRY_EN in page.locator("main").inner_text()
    assert brand_side(page) == "left"
    home = page.locator(".navbar-nav .nav-link").first.bounding_box()
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] < home["x"]

    # when the officer switches to Persian with the language switcher
    switch_language(page, "fa")

    # then the same page is shown in Persian, right to left, and the choice is remembered
    screenshot(page, "fa-dashboard-after-switch")
    assert page.url == f"{live_server.url}/dashboard/"
    assert direction(page) == ("fa", "rtl")
    assert MINISTRY_FA in page.locator("main").inner_text()
    assert MINISTRY_EN not in page.locator("main").inner_text()
    assert page.locator("#language-switcher").input_value() == "fa"
    assert page.locator("link[href*='bootstrap.rtl']").count() == 1
    assert brand_side(page) == "right"
    home = page.locator(".navbar-nav .nav-link").first.bounding_box()
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > home["x"]
    assert User.objects.get(email=OFFICER).language == "fa"


@pytest.mark.browser_context_args(locale="fa-IR")
def test_officer_signs_in_in_persian_and_switches_to_english(
    page, live_server, screenshot, demo_data
):
    # given a browser that asks for Persian
    page.goto(f"{live_server.url}/accounts/login/")
    assert direction(page) == ("fa", "rtl")
    assert brand_side(page) == "right"

    # when the officer signs in with password and TOTP code
    sign_in(page, live_server, screenshot, OFFICER, "fa")

    # then the dashboard is in Persian, its navigation laid out right to left
    screenshot(page, "fa-dashboard")
    assert direction(page) == ("fa", "rtl")
    assert MINISTRY_FA in page.locator("main").inner_text()
    assert brand_side(page) == "right"
    links = page.locator(".navbar-nav .nav-link")
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert first["x"] > second["x"]
    assert page.locator(".navbar-brand").bounding_box()["x"] > first["x"]

    # when the officer switches to English
    switch_language(page, "en")

    # then the dashboard is in English, left to right
    screenshot(page, "en-dashboard-after-switch")
    assert page.url == f"{live_server.url}/dashboard/"
    assert direction(page) == ("en", "ltr")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert MINISTRY_EN in page.locator("main").inner_text()
    assert brand_side(page) == "left"
    links = page.locator(".navbar-nav .nav-link")
    assert links.nth(0).bounding_box()["x"] < links.nth(1).bounding_box()["x"]
    assert User.objects.get(email=OFFICER).language == "en"
