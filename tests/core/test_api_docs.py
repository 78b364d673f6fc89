"""/api/docs/: Swagger UI from local static files, running under the site's strict CSP."""

import re
import shutil

import pytest
from django.contrib.staticfiles import finders

from tests.conftest import CHROMIUM

DOCS = "/api/docs/"


@pytest.mark.django_db
def test_the_docs_page_loads_only_local_files_and_no_inline_code(client):
    # when the docs page is opened
    response = client.get(DOCS)

    # then it references only our own /static/ files and its own start-up script
    page = response.content.decode()
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sorted(urls) == [
        "/api/docs/?script=",
        "/static/core/api-docs.css",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css",
    ]
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    # and nothing inline that the CSP would block
    assert "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_the_start_up_script_is_served_as_javascript(client):
    # when the page's script is fetched
    response = client.get(DOCS, {"script": ""})

    # then it is JavaScript that loads our schema
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert 'url: "/api/schema/",' in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_in_chromium_without_csp_violations(live_server, monkeypatch):
    if not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM runs in the server's.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    violations, foreign = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda message: (
                    violations.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            page.on(
                "request",
                lambda request: (
                    foreign.append(request.url)
                    if not request.url.startswith((live_server.url, "data:"))
                    else None
                ),
            )
            # when the docs page is opened in a real browser
            page.goto(f"{live_server.url}{DOCS}")

            # then Swagger UI renders our schema's operations
            page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
            assert "Panjere API" in page.inner_text(".swagger-ui .info .title")
            page.wait_for_selector("text=/api/v1/notifications/", timeout=20_000)
        finally:
            browser.close()

    # with no CSP violation and no request to another origin
    assert violations == []
    assert foreign == []
