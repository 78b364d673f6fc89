# ruff: noqa: RUF001  (Persian text is meant to be Persian)
"""The language switcher: a cookie for the device, `User.language` for the person."""

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from audit.models import Event
from tests.factories import UserFactory, login, make_member

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def test_switching_to_persian_sets_the_cookie_for_an_anonymous_visitor(client):
    # given an anonymous visitor on the English home page
    # when they choose Persian in the switcher
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/"})

    # then they go back to the page, which is now Persian, and nothing is recorded
    assert response.status_code == 302
    assert response.url == "/"
    assert response.cookies[COOKIE].value == "fa"
    assert '<html lang="fa" dir="rtl">' in client.get("/").content.decode()
    assert Event.objects.count() == 0


def test_switching_language_remembers_it_on_the_signed_in_user(client):
    # given a signed-in user with no remembered language
    user = UserFactory()
    login(client, user)

    # when they choose Persian in the switcher
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "/dashboard/"})

    # then the device's cookie and the user both remember it, on the record
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    assert response.cookies[COOKIE].value == "fa"
    user.refresh_from_db()
    assert user.language == "fa"
    event = Event.objects.get(action="user.language_changed")
    assert event.payload == {"from": "", "to": "fa"}


def test_the_next_sign_in_on_a_fresh_device_shows_the_remembered_language(
    client, django_user_model
):
    # given a user who chose Persian on one device
    user = make_member(Role.BIDDER)
    login(client, user)
    client.post("/i18n/setlang/", {"language": "fa", "next": "/"})
    fresh = Client()

    # when they sign in on another device, which has no language cookie
    login(fresh, django_user_model.objects.get(pk=user.pk))
    response = fresh.get("/dashboard/", headers={"accept-language": "en"})

    # then the dashboard is in Persian although the browser asks for English
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "سازمان‌ها و نقش‌های شما" in html
    assert response.headers["Content-Language"] == "fa"


def test_the_device_cookie_wins_over_the_remembered_language(client):
    # given a user who remembered Persian, on a device whose cookie says English
    user = UserFactory(language="fa")
    login(client, user)
    client.cookies[COOKIE] = "en"

    # when they open the dashboard
    response = client.get("/dashboard/")

    # then the device's explicit choice is kept
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_signing_out_forgets_nothing_but_shows_the_browser_language(client):
    # given a user who remembered Persian and has signed out
    UserFactory(language="fa")

    # when an anonymous visitor without a cookie opens the home page
    response = client.get("/", headers={"accept-language": "en"})

    # then the page follows the browser, not anyone's stored choice
    assert '<html lang="en" dir="ltr">' in response.content.decode()


def test_an_unknown_language_changes_nothing(client):
    # given a signed-in user who remembered English
    user = UserFactory(language="en")
    login(client, user)

    # when a forged request asks for a language Panjere does not offer
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})

    # then neither the cookie nor the user changes, and nothing is recorded
    assert response.status_code == 302
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == "en"
    assert Event.objects.count() == 0


def test_a_get_request_changes_nothing(client):
    # given a signed-in user
    user = UserFactory()
    login(client, user)

    # when a link (GET) tries to switch the language
    response = client.get("/i18n/setlang/", {"language": "fa", "next": "/"})

    # then nothing changes: only the form's POST switches
    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == ""
    assert Event.objects.count() == 0


def test_the_switcher_refuses_a_post_without_csrf_token():
    # given a browser that enforces CSRF like a real one
    browser = Client(enforce_csrf_checks=True)
    user = UserFactory()
    login(browser, user)

    # when another site posts to the switcher
    response = browser.post("/i18n/setlang/", {"language": "fa", "next": "/"})

    # then it is refused and nothing changes
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.language == ""
    assert Event.objects.count() == 0


def test_an_outside_next_address_is_not_followed(client):
    # given an anonymous visitor
    # when the switcher's `next` points to another site
    response = client.post("/i18n/setlang/", {"language": "fa", "next": "https://evil.example/"})

    # then the redirect stays on Panjere
    assert response.status_code == 302
    assert response.url == "/"


# --- A link that carries its language: ?lang=fa ---------------------------------------------


def test_a_link_with_lang_opens_in_that_language_and_the_device_keeps_it(client):
    # given an English browser
    headers = {"accept-language": "en-GB,en;q=0.9"}

    # when it follows a link that carries Persian
    response = client.get("/tenders/?lang=fa", headers=headers)

    # then the page is Persian, and the pages after it too, and nothing is recorded
    assert '<html lang="fa" dir="rtl">' in response.content.decode()
    assert response["Content-Language"] == "fa"
    assert response.cookies[COOKIE].value == "fa"
    assert '<html lang="fa" dir="rtl">' in client.get("/", headers=headers).content.decode()
    assert Event.objects.count() == 0


def test_a_link_with_lang_wins_over_the_cookie_and_the_remembered_language(client):
    user = UserFactory(language="fa")
    login(client, user)
    client.cookies[COOKIE] = "fa"

    response = client.get("/?lang=en")

    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert response.cookies[COOKIE].value == "en"
    user.refresh_from_db()
    assert user.language == "fa"  # a link does not change what the person chose


def test_a_link_with_an_unknown_language_is_ignored(client):
    response = client.get("/?lang=de", headers={"accept-language": "en"})

    assert response.status_code == 200
    assert '<html lang="en" dir="ltr">' in response.content.decode()
    assert COOKIE not in response.cookies
