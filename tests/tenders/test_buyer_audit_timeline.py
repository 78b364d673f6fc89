"""The audit timeline on the buyer's tender page names who acted."""

import pytest
from django.conf import settings
from django.urls import reverse

from audit.models import Person
from tests.factories import login

from .factories import tender_in_state

pytestmark = pytest.mark.django_db


def _timeline(client, tender, reader) -> list[str]:
    login(client, reader)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("tender_admin:detail", args=[tender.pk])).content.decode()
    section = html.split("Audit timeline</h2>", 1)[1].split("</ol>", 1)[0]
    return [line.strip() for line in section.splitlines() if line.strip().startswith("<li")]


def test_the_timeline_shows_each_actors_name_not_their_email(client):
    # given a tender published by its officer and approver, then closed by the platform
    tender, team = tender_in_state("closed")

    # when its officer reads its page
    lines = _timeline(client, tender, team.officer)

    # then each step names its actor, the platform for the closing
    moment = "<bdi>1 June 2029, 12:30</bdi>"
    closing = "<bdi>6 July 2029, 12:30</bdi>"
    assert lines == [
        f'<li class="mb-1">{moment} · <code>tender.created</code> · <bdi>Officer</bdi> '
        "(Procurement officer)</li>",
        *[
            f'<li class="mb-1">{moment} · <code>tender.committee_member_added</code> · '
            "<bdi>Officer</bdi> (Procurement officer)</li>"
        ]
        * 4,
        f'<li class="mb-1">{moment} · <code>tender.lot_added</code> · <bdi>Officer</bdi> '
        "(Procurement officer)</li>",
        f'<li class="mb-1">{moment} · <code>tender.submitted_for_approval</code> · '
        "<bdi>Officer</bdi></li>",
        f'<li class="mb-1">{moment} · <code>tender.published</code> · <bdi>Approver</bdi></li>',
        f'<li class="mb-1">{closing} · <code>tender.closed</code> · <bdi>the platform</bdi></li>',
    ]
    assert team.officer.email not in "".join(lines)
    assert team.approver.email not in "".join(lines)


def test_an_actor_without_a_name_is_shown_by_email(client):
    # given a tender submitted by an officer who has no name on record
    tender, team = tender_in_state("awaiting_approval")
    team.officer.name = ""
    team.officer.save(update_fields=["name"])
    Person.objects.filter(user=team.officer).update(name="")

    # when the approver reads its page
    lines = _timeline(client, tender, team.approver)

    # then the officer's steps show the email
    assert lines[-1] == (
        '<li class="mb-1"><bdi>1 June 2029, 12:30</bdi> · '
        f"<code>tender.submitted_for_approval</code> · <bdi>{team.officer.email}</bdi></li>"
    )
