"""Anyone with an account follows a public tender to hear about every change."""

import pytest
from django.contrib.auth.models import AnonymousUser

from audit.models import Event
from tenders import selectors, services
from tenders.exceptions import TenderNotAllowed, TenderNotPublic
from tenders.models import Follow

from .factories import plain_user, tender_in_state

pytestmark = pytest.mark.django_db


def test_following_twice_is_following_once_and_unfollowing_stops_it():
    # given
    tender, _team = tender_in_state("published")
    reader = plain_user()
    events_before = Event.objects.count()

    # when
    services.tender_follow(actor=reader, tender=tender)
    services.tender_follow(actor=reader, tender=tender)

    # then
    assert list(Follow.objects.values_list("user_id", "tender_id")) == [(reader.pk, tender.pk)]
    assert selectors.is_following(user=reader, tender=tender) is True
    assert list(selectors.followed_tenders(user=reader)) == [tender]
    # a reader's own subscription is not on the audit trail
    assert Event.objects.count() == events_before

    # and when
    services.tender_unfollow(actor=reader, tender=tender)
    services.tender_unfollow(actor=reader, tender=tender)

    # then
    assert Follow.objects.count() == 0
    assert selectors.is_following(user=reader, tender=tender) is False


@pytest.mark.parametrize("state", ["draft", "awaiting_approval", "cancelled"])
def test_a_tender_that_was_never_public_cannot_be_followed(state, nothing_written):
    # given
    tender, _team = tender_in_state(state)

    # when / then
    with nothing_written(), pytest.raises(TenderNotPublic):
        services.tender_follow(actor=plain_user(), tender=tender)


def test_the_anonymous_public_cannot_follow(nothing_written):
    # given
    tender, _team = tender_in_state("published")

    # when / then
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.tender_follow(actor=AnonymousUser(), tender=tender)
