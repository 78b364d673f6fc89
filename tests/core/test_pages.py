"""The shell every page shares: navigation, language switcher, messages, error pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import translation

from accounts.models import Role
from core import errors
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def test_the_home_page_explains_panjere_and_links_to_log_in_sign_up_and_the_api(client):
    # given an anonymous visitor
    # when they open the home page
    response = client.get("/")

    # then it says what Panjere is, for whom, and where to go next
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h1 id="home-title" class="display-6 fw-bold">One window for public procurement</h1>'
        in html
    )
    for audience in ("Suppliers", "Buyers", "The public", "Auditors"):
        assert f'<h3 class="card-title">{audience}</h3>' in html
    assert '<a class="btn btn-primary" href="/accounts/login/">Log in</a>' in html
    assert (
        '<a class="btn btn-outline-primary" href="/accounts/signup/">Create an account</a>' in html
    )
    assert 'href="/api/docs/">Read the API documentation</a>' in html
    assert "/dashboard/" not in html
    assert "Log out" not in html
    # and a search of the notices, and an honest word when none is published yet
    assert '<form method="get" action="/tenders/" role="search" class="home-search mb-3">' in html
    assert '<input type="search" class="form-control" id="home-search" name="q"' in html
    assert "<p>No tender has been published yet.</p>" in html
    # and it promises only what the platform does today: bids are not yet received here
    assert "sealed in your browser" not in html
    assert (
        "Coming next: sealed electronic bids opened together by a committee, evaluation, "
        "awards, contracts and payments."
    ) in html


def test_the_home_page_lists_the_latest_notices_in_the_readers_language(client):
    # given six published tenders and a draft
    from django.utils import translation

    from core.clock import frozen_at
    from core.templatetags.panjere import localdate
    from tests.tenders.factories import HOUR, NOW, buyer_team, tender_in_state

    team = buyer_team()
    team.buyer.name_fa = "سازمان راه"
    team.buyer.save(update_fields=["name_fa"])
    published = []
    for number in range(6):
        with frozen_at(NOW + number * HOUR):
            tender, _team = tender_in_state(
                "published", team, title=f"Road {number}", title_fa=f"جاده {number}"
            )
        published.append(tender)
    tender_in_state("draft", team, title="Draft road")

    # when a Persian reader opens the home page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"
    html = client.get("/").content.decode()

    # then the five newest are listed, newest first, in Persian, with the buyer and the day
    links = re.findall(
        r'<a href="/tenders/(\d+)/"><bdi dir="ltr">[^<]+</bdi> — <bdi>([^<]+)</bdi></a>', html
    )
    assert links == [(str(t.pk), f"جاده {n}") for n, t in reversed(list(enumerate(published)))][:5]
    with translation.override("fa"):
        day = localdate(published[-1].published_at)
    assert day.startswith("۱") and day.endswith("خرداد ۱۴۰۸")  # noqa: RUF001
    assert f"<bdi>سازمان راه</bdi> · منتشرشده در <bdi>{day}</bdi>" in html
    assert "Draft road" not in html


def test_the_shell_has_a_skip_link_landmarks_and_a_labelled_language_switcher(client):
    # given an anonymous visitor
    # when they open the home page
    html = client.get("/").content.decode()

    # then the first link skips to the main content, and the landmarks are labelled
    first_link = re.search(r"<a [^>]*>", html).group(0)
    assert first_link == '<a class="visually-hidden-focusable skip-link" href="#main">'
    assert '<main id="main" tabindex="-1" class="container py-4">' in html
    assert (
        '<nav class="navbar navbar-expand navbar-dark bg-dark" aria-label="Main navigation">'
        in html
    )
    assert '<nav aria-label="Footer">' in html
    assert "<footer " in html
    # and the switcher is a plain form that works without JavaScript
    form = re.search(r'<form class="language-switcher[^"]*"[^>]*>.*?</form>', html, re.S).group(0)
    assert 'action="/i18n/setlang/" method="post"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<input name="next" type="hidden" value="/">' in form
    assert '<label class="visually-hidden" for="language-switcher">Language</label>' in form
    assert (
        '<select class="form-select form-select-sm" name="language" id="language-switcher">' in form
    )
    assert '<option value="en" lang="en" selected>English</option>' in form
    assert '<option value="fa" lang="fa">فارسی</option>' in form
    assert (
        '<button type="submit" class="btn btn-sm btn-outline-light">Change language</button>'
        in form
    )


def test_a_signed_in_user_sees_dashboard_notifications_account_and_a_logout_form(client):
    # given a signed-in supplier
    user = make_member(Role.BIDDER)
    login(client, user)

    # when they open the home page
    html = client.get("/").content.decode()

    # then the header leads to their pages, and logging out is a POST
    assert '<a class="nav-link" href="/dashboard/">Dashboard</a>' in html
    assert '<a class="nav-link" href="/notifications/">Notifications</a>' in html
    assert '<a class="btn btn-sm btn-outline-light" href="/accounts/">My account</a>' in html
    assert re.search(
        r'<form action="/accounts/logout/" method="post">\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert '<a class="btn btn-primary" href="/dashboard/">Go to your dashboard</a>' in html
    # and a bidder does not see the audit trail
    assert 'href="/audit/"' not in html


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.PLATFORM_ADMIN])
def test_auditors_and_platform_administrators_see_the_audit_trail_link(client, role):
    # given a signed-in auditor (second factor included)
    user = make_member(role)
    login(client, user)

    # when they open the dashboard
    html = client.get("/dashboard/").content.decode()

    # then the header links to the audit trail
    assert '<a class="nav-link" href="/audit/">Audit trail</a>' in html


@pytest.mark.parametrize(
    "role", [Role.BIDDER, Role.SUPPLIER_ADMIN, Role.PROCUREMENT_OFFICER, Role.EVALUATOR]
)
def test_other_roles_do_not_see_the_audit_trail_link(client, role):
    # given a signed-in user without the audit permission
    user = make_member(role)
    login(client, user)

    # when they open the dashboard
    html = client.get("/dashboard/").content.decode()

    # then the header has no audit link
    assert 'href="/audit/"' not in html


def test_the_current_page_is_marked_in_the_navigation(client):
    # given a signed-in user
    login(client, UserFactory())

    # when they open the dashboard
    html = client.get("/dashboard/").content.decode()

    # then its link says so to assistive technology too
    assert '<a class="nav-link active" href="/dashboard/" aria-current="page">Dashboard</a>' in html


def test_messages_are_alerts_with_a_role_by_severity():
    # given a page with one message of each kind
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    messages = [
        Message(constants.SUCCESS, "Saved."),
        Message(constants.INFO, "Note this."),
        Message(constants.WARNING, "Careful."),
        Message(constants.ERROR, "Failed."),
    ]

    # when it is rendered
    html = render_to_string("home/home.html", {"messages": messages}, request=request)

    # then errors and warnings interrupt (role=alert), the rest are polite status
    assert '<div class="alert alert-success" role="status">Saved.</div>' in html
    assert '<div class="alert alert-info" role="status">Note this.</div>' in html
    assert '<div class="alert alert-warning" role="alert">Careful.</div>' in html
    assert '<div class="alert alert-danger" role="alert">Failed.</div>' in html


def test_a_missing_page_is_a_404_in_the_shell(client):
    # given a visitor
    # when they open an address that does not exist
    response = client.get("/no-such-page/")

    # then they get the 404 page, inside the normal layout
    html = response.content.decode()
    assert response.status_code == 404
    assert "<title>Page not found · Panjere</title>" in html
    assert '<main id="main"' in html
    assert '<a class="btn btn-primary" href="/">Go to the home page</a>' in html


def test_a_missing_page_in_persian(client):
    # given a Persian visitor
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fa"

    # when they open an address that does not exist
    response = client.get("/no-such-page/")

    # then the 404 page is in Persian, right to left
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in html
    assert "<title>صفحه پیدا نشد · پنجره</title>" in html


def test_a_forbidden_page_is_a_403_in_the_shell(client):
    # given a signed-in bidder
    login(client, make_member(Role.BIDDER))

    # when they open the auditor's trail
    response = client.get("/audit/")

    # then they get the 403 page
    html = response.content.decode()
    assert response.status_code == 403
    assert "<title>Access denied · Panjere</title>" in html


def test_a_bad_request_is_a_400_page():
    # given a request for a host Panjere does not serve
    client = Client()

    # when it arrives
    response = client.get("/", headers={"host": "evil.example"})

    # then the 400 page answers it
    assert response.status_code == 400
    assert "<title>Bad request · Panjere</title>" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "html_tag", "heading"),
    [
        ("en", '<html lang="en" dir="ltr">', "Server error"),
        ("fa", '<html lang="fa" dir="rtl">', "خطای سرور"),
    ],
)
def test_the_500_page_stands_alone(language, html_tag, heading):
    # given a request whose handling failed
    request = RequestFactory().get("/broken/")

    # when the error handler renders the 500 page
    with translation.override(language):
        response = errors.server_error(request)

    # then it is a full page with its own styles, needing nothing from the failed request
    html = response.content.decode()
    assert response.status_code == 500
    assert html_tag in html
    assert f'<h1 class="h3">{heading}</h1>' in html
    assert "vendor/bootstrap/bootstrap" in html


def _templates():
    folders = [ROOT / "templates", *ROOT.glob("*/templates"), *ROOT.glob("*/*/templates")]
    for folder in folders:
        if ".venv" in folder.parts:
            continue
        yield from folder.rglob("*.html")


def test_no_template_loads_css_js_or_fonts_from_another_site():
    # given every template of the project
    templates = list(_templates())
    external = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)

    # when their <link>, <script> and <style> tags are read
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for tag in re.findall(r"<(?:link|script)\b[^>]*>", text, re.I):
            if external.search(tag):
                offenders.append(f"{path.relative_to(ROOT)}: {tag}")
        for url in re.findall(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""", text, re.I):
            offenders.append(f"{path.relative_to(ROOT)}: url({url})")

    # then every asset is served by Panjere itself
    assert ROOT / "templates" / "base.html" in templates
    assert offenders == []


def test_no_stylesheet_loads_anything_from_another_site():
    # given Panjere's own stylesheets
    sheets = [p for p in ROOT.glob("**/static/**/*.css") if ".venv" not in p.parts]

    # when their url(...) and @import are read
    offenders = [
        f"{path.relative_to(ROOT)}: {match}"
        for path in sheets
        for match in re.findall(
            r"""(?:url\(|@import)\s*["']?((?:https?:)?//[^)"'\s]+)""", path.read_text("utf-8")
        )
        if not match.startswith("//www.w3.org")
    ]

    # then none does
    assert ROOT / "static" / "css" / "panjere.css" in sheets
    assert offenders == []


def test_the_vendored_assets_are_there_without_missing_source_maps():
    # given the vendored Bootstrap build and the Vazirmatn font
    vendor = ROOT / "static" / "vendor"
    files = [
        vendor / "bootstrap" / "bootstrap.min.css",
        vendor / "bootstrap" / "bootstrap.rtl.min.css",
        vendor / "bootstrap" / "bootstrap.bundle.min.js",
    ]

    # then each is present, and none points at a source map that is not shipped
    for path in files:
        text = path.read_text("utf-8")
        for source_map in re.findall(r"sourceMappingURL=(\S+?)\s*(?:\*/)?$", text, re.M):
            assert (path.parent / source_map).exists(), f"{path.name} names {source_map}"
    assert (vendor / "bootstrap" / "LICENSE").exists()
    for face in ("Vazirmatn-Regular.woff2", "Vazirmatn-Bold.woff2", "OFL.txt"):
        assert (vendor / "vazirmatn" / face).exists()
    css = (ROOT / "static" / "css" / "panjere.css").read_text("utf-8")
    assert 'url("../vendor/vazirmatn/Vazirmatn-Regular.woff2")' in css
    assert 'url("../vendor/vazirmatn/Vazirmatn-Bold.woff2")' in css


def test_the_demo_says_so_on_every_page(client, settings):
    # given the embedded demo (demo data allowed), with DEBUG off as `make run` has it
    settings.PANJERE_DEMO = True
    settings.PANJERE_DEMO_DATA_ALLOWED = True

    # when a visitor opens a page
    html = client.get("/").content.decode()

    # then a banner says that the data is made up
    assert (
        '<p class="demo-banner mb-0 py-1 px-3 text-center small">'
        "Demonstration: the data is made up and payments run in test mode.</p>"
    ) in html


def test_a_real_deployment_has_no_demo_banner(client, settings):
    # given a deployment that is not the demo, even with DEBUG on
    settings.DEBUG = True
    settings.PANJERE_DEMO = False

    # when a visitor opens a page
    html = client.get("/").content.decode()

    # then no banner
    assert "demo-banner" not in html
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
