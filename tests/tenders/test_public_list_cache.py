"""The public list's form and results are rendered once and reused, and never shown stale.

The reused part is the same for every reader; it is keyed on the language, the
query, the count of OCDS releases published (every change the list shows
publishes one, and nothing else moves it) and the minute. The database clock
is frozen at NOW (tests/tenders/conftest.py).
"""

import datetime
import os
import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import Event
from core.clock import frozen_at
from tenders import services, views
from tests.factories import login
from tests.suppliers.factories import supplier_in_state

from .factories import DAY, SUBMISSION_DEADLINE, tender_in_state

pytestmark = pytest.mark.django_db

URL = reverse("tenders:list")
MINUTE = datetime.timedelta(minutes=1)


def results(response) -> str:
    """The reused part of the page: from the filter form to the end of the results."""
    page = response.content.decode()
    start = page.index('<div class="row g-4">')
    return page[start : page.index("</main>", start)]


def test_the_same_list_in_the_same_minute_is_rendered_once(client, django_assert_num_queries):
    # given a public tender and a first reader of the list
    tender, _team = tender_in_state("published", title="Resurfacing of the Karaj-Chalus road")
    with django_assert_num_queries(4):  # the releases published, the count, the page, the buyers
        first = client.get(URL, {"q": "road"})

    # when a second reader asks for the same list in the same minute
    with django_assert_num_queries(1):  # the releases published only
        second = client.get(URL, {"q": "road"})

    # then it gets the same form and results, without their queries
    assert second.status_code == 200
    assert results(second) == results(first)
    assert "Resurfacing of the Karaj-Chalus road" in results(second)
    assert tender.reference in results(second)


def test_a_publication_shows_at_once(client):
    # given the list, rendered and kept, with one tender
    team = tender_in_state("published", title="Bridge repair")[1]
    assert "Bridge repair" in results(client.get(URL))
    draft, _team = tender_in_state("awaiting_approval", team=team, title="Laptops for schools")
    assert "Laptops for schools" not in results(client.get(URL))

    # when the approver publishes the second one, in the same minute
    services.tender_approve_and_publish(actor=team.approver, tender=draft)

    # then the next reader sees it
    page = results(client.get(URL))
    assert "Laptops for schools" in page
    assert "Bridge repair" in page


def test_an_amendment_and_a_cancellation_show_at_once(client):
    # given the list, rendered and kept
    tender, team = tender_in_state("published", title="Bridge repair")
    assert "Bridge repair" in results(client.get(URL))

    # when the title is amended
    services.tender_amend(
        actor=team.officer,
        tender=tender,
        summary="Title corrected",
        changes={"title": "Repair of the Pol-e Sefid bridge"},
    )

    # then the list shows the new title
    page = results(client.get(URL))
    assert "Repair of the Pol-e Sefid bridge" in page
    assert "Bridge repair" not in page

    # when the tender is cancelled
    services.tender_cancel(actor=team.officer, tender=tender, reason="Budget withdrawn")

    # then the list says so
    assert "tender-state-cancelled" in results(client.get(URL))


def test_closing_at_the_deadline_shows_at_once(client):
    # given the list rendered a second before the deadline
    tender_in_state("published", title="Bridge repair")
    with frozen_at(SUBMISSION_DEADLINE - datetime.timedelta(seconds=1)):
        before = results(client.get(URL))
    assert "tender-state-published" in before

    # when the sweep closes the tender in the same minute
    with frozen_at(SUBMISSION_DEADLINE):
        assert services.tender_close_due() == 1
        after = results(client.get(URL))

    # then the list shows it closed
    assert "tender-state-closed" in after
    assert "tender-state-published" not in after


def test_the_time_left_is_rendered_again_each_minute(client):
    # given a tender, and the list rendered 2 days, 1 hour and 1 minute before its deadline
    tender_in_state("published")
    now = SUBMISSION_DEADLINE - 2 * DAY - datetime.timedelta(hours=1, minutes=1)
    with frozen_at(now):
        assert "2 days 1 hour left" in results(client.get(URL))
    events = Event.objects.count()

    # when two minutes pass without any change on the record
    with frozen_at(now + 2 * MINUTE):
        page = results(client.get(URL))

    # then the time left is rendered afresh
    assert Event.objects.count() == events
    assert "2 days left" in page
    assert "2 days 1 hour left" not in page


def test_each_language_has_its_own_rendering(client):
    # given a tender with a Persian title, and the list read in English
    tender_in_state("published", title="Bridge repair", title_fa="تعمیر پل")
    english = results(client.get(URL))

    # when the same list is read in Persian
    with translation.override("fa"):
        persian = results(client.get(URL, HTTP_ACCEPT_LANGUAGE="fa"))

    # then each reader gets the list in their language
    assert "Bridge repair" in english and "تعمیر پل" not in english
    assert "تعمیر پل" in persian and "Bridge repair" not in persian


def test_another_query_is_another_rendering(client):
    # given two tenders and the whole list rendered
    tender_in_state("published", title="Bridge repair")
    tender_in_state("published", title="Laptops for schools", main_category="goods")
    whole = results(client.get(URL))
    assert "Bridge repair" in whole and "Laptops for schools" in whole

    # when the list is filtered
    goods = results(client.get(URL, {"main_category": "goods"}))

    # then only the match is shown, and the filter is selected in the form
    assert "Laptops for schools" in goods
    assert "Bridge repair" not in goods
    assert '<option value="goods" selected>' in goods


def test_what_belongs_to_the_reader_is_never_reused(client):
    # given the list rendered for an anonymous reader
    tender_in_state("published", title="Bridge repair")
    anonymous = client.get(URL)
    assert "supplier-tender-nav" not in anonymous.content.decode()

    # when a supplier's member reads the same list
    _supplier, admin, _reviewer = supplier_in_state("verified")
    login(client, admin)
    member = client.get(URL)

    # then the member's own links are there, around the same results
    assert "supplier-tender-nav" in member.content.decode()
    assert results(member) == results(anonymous)


def test_a_page_beyond_the_bound_is_refused_again_from_the_cache(client, monkeypatch):
    # given pages of one tender, at most two, and three tenders: page 3 is refused once
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(views, "MAX_PAGES", 2)
    team = tender_in_state("published")[1]
    tender_in_state("published", team=team)
    tender_in_state("published", team=team)
    first = client.get(URL, {"page": 3})
    assert first.status_code == 404

    # when it is asked again
    second = client.get(URL, {"page": 3})

    # then it is refused again, with the same message
    assert second.status_code == 404
    assert results(second) == results(first)
    assert "Only the first 2 tenders of a list can be browsed." in results(second)


def test_with_no_reuse_every_request_renders(client, settings, django_assert_num_queries):
    # given reuse turned off
    settings.TENDER_PUBLIC_CACHE_SECONDS = 0
    tender_in_state("published")
    client.get(URL)

    # when / then the second request queries again (no releases count: no key)
    with django_assert_num_queries(3):
        client.get(URL)


@pytest.mark.redis
def test_a_shared_redis_cache_gives_back_the_same_html(client, settings, django_assert_num_queries):
    # given the cache the web nodes share in production (a Redis database of its own)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    tender_in_state("published", title="Bridge repair & resurfacing")
    first = client.get(URL)

    # when the list comes back from Redis
    with django_assert_num_queries(1):  # the releases published only
        second = client.get(URL)

    # then it is the same markup, not escaped a second time
    assert results(second) == results(first)
    assert "Bridge repair &amp; resurfacing" in results(second)
    assert "&lt;table" not in second.content.decode()


def test_a_change_the_public_does_not_see_reuses_the_list(client, django_assert_num_queries):
    # given the list rendered once
    team = tender_in_state("published", title="Bridge repair")[1]
    first = client.get(URL)
    events = Event.objects.count()

    # when the officer edits a draft and a supplier registers and is verified: on the record,
    # not public
    draft, _team = tender_in_state("draft", team=team, title="Laptops for schools")
    services.tender_update(actor=team.officer, tender=draft, title="Laptops for 40 schools")
    supplier_in_state("verified")
    assert Event.objects.count() > events

    # then the next reader gets the list as it was rendered, without its queries
    with django_assert_num_queries(1):  # the releases published only
        second = client.get(URL)
    assert results(second) == results(first)
