"""In a real browser: a committee member makes their opening key, then changes its passphrase.

The key pair is made and encrypted by the committed bundle in Chromium; the
test then unlocks the file the server stored with `panjere_client` (the
server never can: it never receives the passphrase, which the test checks on
every request the page sends). Keyboard only: Tab to each labelled field,
Enter to submit.
"""

import pytest

from accounts.models import Role
from panjere_client import member_keys
from tenders.models import MemberKey
from tests.e2e.test_supplier_registration_walk import sign_in
from tests.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "first browser passphrase"
SECOND = "second browser passphrase"


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_a_member_makes_and_rewraps_their_key_in_the_browser(page, live_server, screenshot):
    # given a committee member signed in, and every request the page sends watched
    member = make_member(Role.COMMITTEE_MEMBER, name="Opener One")
    sent = []
    page.on("request", lambda request: sent.append(request.post_data or ""))
    sign_in(
        page, live_server, screenshot, "member", member, "/tenders/opening-key/", second_factor=True
    )
    assert page.get_by_role("heading", name="Make your key").is_visible()
    screenshot(page, "no-key-yet")

    # when they type a passphrase twice (Tab from one labelled field to the next) and press Enter
    page.get_by_label("New passphrase", exact=True).first.fill(FIRST)
    page.keyboard.press("Tab")
    assert _focused(page) == "create-confirm"
    page.get_by_label("The new passphrase again", exact=True).first.fill(FIRST)
    with page.expect_navigation(timeout=60_000):
        page.get_by_label("The new passphrase again", exact=True).first.press("Enter")
    screenshot(page, "key-made")

    # then the server holds a key file that only their passphrase unlocks
    key = MemberKey.objects.get(user=member)
    stored = member_keys.MemberKeyFile.loads(key.key_file)
    assert stored.fingerprint == key.fingerprint
    member_keys.unlock(stored, FIRST)
    assert page.locator("#current-fingerprint").inner_text() == key.fingerprint
    assert page.get_by_text("Your opening key is registered.").is_visible()

    # when they change the passphrase in the browser
    page.get_by_label("Current passphrase", exact=True).fill(FIRST)
    page.keyboard.press("Tab")
    assert _focused(page) == "rewrap-new"
    page.locator("#rewrap-new").fill(SECOND)
    page.locator("#rewrap-confirm").fill(SECOND)
    with page.expect_navigation(timeout=60_000):
        page.locator("#rewrap-confirm").press("Enter")
    screenshot(page, "passphrase-changed")

    # then the same key is stored under the new passphrase only
    key.refresh_from_db()
    rewrapped = member_keys.MemberKeyFile.loads(key.key_file)
    assert rewrapped.fingerprint == stored.fingerprint
    with pytest.raises(member_keys.WrongPassphrase):
        member_keys.unlock(rewrapped, FIRST)
    member_keys.unlock(rewrapped, SECOND)
    # and no request carried either passphrase
    assert sent and not [body for body in sent if FIRST in body or SECOND in body]
    assert any(
        stored.fingerprint not in body and '"encrypted_private_key"' in body for body in sent
    )


def test_a_mismatched_confirmation_is_said_and_nothing_is_sent(page, live_server, screenshot):
    member = make_member(Role.COMMITTEE_MEMBER, name="Opener Two")
    sign_in(
        page, live_server, screenshot, "member", member, "/tenders/opening-key/", second_factor=True
    )
    page.locator("#create-new").fill(FIRST)
    page.locator("#create-confirm").fill(SECOND)
    page.locator("#create-confirm").press("Enter")
    status = page.locator("#opening-key-create .opening-key-status")
    status.get_by_text("The two new passphrases differ.").wait_for()
    assert not MemberKey.objects.filter(user=member).exists()
