"""The page "My opening key": the key is made in the browser; the page posts the key file only."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from core.templatetags.panjere import _subresource_integrity
from tenders.models import MemberKey
from tests.factories import login, make_member

from .factories import key_file_for

pytestmark = pytest.mark.django_db

URL = "/tenders/opening-key/"


def _member(client):
    member = make_member(Role.COMMITTEE_MEMBER, name="Opener")
    login(client, member)
    return member


def test_the_url():
    assert reverse("tenders:opening_key") == URL


def test_a_member_without_a_key_gets_the_form_with_labelled_passphrases_that_are_never_sent(
    client,
):
    _member(client)
    page = client.get(URL).content.decode()
    assert '<h2 class="h5" id="create-heading">Make your key</h2>' in page
    assert '<label class="form-label" for="create-new">New passphrase</label>' in page
    assert '<label class="form-label" for="create-confirm">The new passphrase again</label>' in page
    # the passphrase inputs have no name: a browser cannot submit them
    assert 'id="create-new" data-passphrase="new"' in page
    assert 'name="passphrase' not in page
    # the no-JS way: the CLI's file
    assert "panjere key create --out opening.key" in page
    assert '<input class="form-control" type="file" name="key_file_upload"' in page
    # the scripts load from our origin with their integrity hashes
    for name in ("sealing", "opening_key"):
        assert (
            f'<script src="/static/js/{name}.js" '
            f'integrity="{_subresource_integrity(f"js/{name}.js")}" defer></script>'
        ) in page
    assert ">My opening key</a>" in page


def test_the_integrity_hash_is_sha384_of_the_file():
    import base64
    import hashlib
    from pathlib import Path

    data = (Path(__file__).resolve().parents[2] / "static/js/opening_key.js").read_bytes()
    assert _subresource_integrity("js/opening_key.js") == "sha384-" + base64.b64encode(
        hashlib.sha384(data).digest()
    ).decode("ascii")


def test_posting_the_key_file_the_browser_made_registers_it(client):
    member = _member(client)
    key_file = key_file_for()
    response = client.post(URL, {"action": "create", "key_file": key_file.dumps()})
    assert response.status_code == 302
    key = MemberKey.objects.get(user=member)
    assert key.fingerprint == key_file.fingerprint
    page = client.get(URL).content.decode()
    assert f'id="current-fingerprint">{key_file.fingerprint}</code>' in page
    assert "Your opening key is registered." in page


def test_uploading_the_cli_s_file_registers_it_without_javascript(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    member = _member(client)
    key_file = key_file_for()
    upload = SimpleUploadedFile("opening.key", key_file.dumps().encode(), "application/json")
    response = client.post(URL, {"action": "create", "key_file_upload": upload})
    assert response.status_code == 302
    assert MemberKey.objects.get(user=member).fingerprint == key_file.fingerprint


def test_a_bad_file_is_shown_as_a_form_error_and_nothing_is_written(client):
    member = _member(client)
    events = Event.objects.count()
    response = client.post(URL, {"action": "create", "key_file": "{}"})
    assert response.status_code == 422
    assert (
        "This is not an opening key file. not a member key file (its members differ)"
        in response.content.decode()
    )
    assert not MemberKey.objects.filter(user=member).exists()
    assert Event.objects.count() == events


def test_the_member_downloads_their_own_key_file_and_nobody_else_s(client):
    member = _member(client)
    key_file = key_file_for()
    client.post(URL, {"action": "create", "key_file": key_file.dumps()})
    response = client.get(f"/tenders/opening-key/{key_file.fingerprint}.json")
    assert response.status_code == 200
    assert response.content.decode() == key_file.dumps()
    assert response["Content-Disposition"] == (
        f'attachment; filename="panjere-opening-key-{key_file.fingerprint[:16]}.json"'
    )
    other = make_member(Role.COMMITTEE_MEMBER)
    login(client, other)
    assert client.get(f"/tenders/opening-key/{key_file.fingerprint}.json").status_code == 404
    assert MemberKey.objects.get(user=member).fingerprint == key_file.fingerprint


def test_people_who_are_not_committee_members_have_no_opening_key_page(client):
    login(client, make_member(Role.PROCUREMENT_OFFICER))
    assert client.get(URL).status_code == 403
    assert ">My opening key</a>" not in client.get("/").content.decode()
