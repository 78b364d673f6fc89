"""What the hashes cover holds no e-mail address and no person's name, whatever the platform does.

The demo loader runs every service of the platform so far (registrations,
reviews, tenders through publication, questions and amendments): every event it
writes is scanned. `record` refuses e-mail-shaped text and the keys that would
hold personal data before anything is written (tests/audit/test_record.py).
"""

import io
import re

import pytest
from django.core.management import call_command

from accounts.models import User
from audit.chain import BODY_FIELDS, FORBIDDEN_KEYS, event_body
from audit.models import Event

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[a-z]{2,}", re.IGNORECASE)


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_no_event_of_the_demo_holds_an_address_or_a_name():
    call_command("demo_data", stdout=io.StringIO())

    names = {user.name for user in User.objects.all() if user.name}
    events = list(Event.objects.order_by("seq"))
    assert len(events) > 100
    assert len(names) > 15
    for event in events:
        body = event_body(event)
        assert set(body) == set(BODY_FIELDS)
        text = str(body)
        assert not EMAIL.search(text), (event.seq, event.action)
        assert not [name for name in names if name in text], (event.seq, event.action)
        assert not FORBIDDEN_KEYS & {key.lower() for key in _keys(event.payload)}
