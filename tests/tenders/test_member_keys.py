"""Opening keys: a committee member registers, re-wraps and rotates a key made on their device.

The server receives key files only; it checks their format and never needs a
passphrase. Every refusal leaves no row and no audit event behind.
"""

import json

import pytest

from accounts.models import Role
from accounts.services import api_token_create
from audit.models import Event
from panjere_client import member_keys
from tenders import services
from tenders.exceptions import (
    MalformedMemberKey,
    MemberKeyDiffers,
    MemberKeyExists,
    MemberKeyInUse,
    MemberKeyReused,
    NoMemberKey,
    TenderNotAllowed,
)
from tenders.models import MemberKey
from tests.factories import make_member

from .factories import NOW, key_file_for, tender_in_state

pytestmark = pytest.mark.django_db

API = "/api/v1/tenders/opening-key/"


def _member():
    return make_member(Role.COMMITTEE_MEMBER, name="Opener")


def _events():
    return list(Event.objects.order_by("seq").values_list("action", "payload"))


def test_a_committee_member_registers_the_key_file_made_on_their_device():
    # given a key file the member's CLI made under their passphrase
    member = _member()
    key_file, _private = member_keys.create("a long enough passphrase")

    # when it is registered
    key = services.member_key_create(actor=member, key_file=key_file.dumps())

    # then the server keeps the file as written and its public key, and audits the fingerprint
    key = MemberKey.objects.get(pk=key.pk)
    assert (key.user, key.fingerprint, key.key_file, key.created_at, key.retired_at) == (
        member,
        key_file.fingerprint,
        key_file.dumps(),
        NOW,
        None,
    )
    assert key.public_key == key_file.to_json()["public_key"]
    assert _events() == [("member_key.created", {"fingerprint": key_file.fingerprint})]
    # and the member unlocks the file they get back with their passphrase
    again = member_keys.MemberKeyFile.loads(key.key_file)
    assert member_keys.unlock(again, "a long enough passphrase").public_key() is not None


@pytest.mark.parametrize(
    "text, problem",
    [
        ("not json", "This is not an opening key file. the key file is not valid JSON"),
        (json.dumps({"format": "panjere-member-key"}), "its members differ"),
    ],
)
def test_a_malformed_key_file_is_refused(text, problem, nothing_written):
    member = _member()
    with nothing_written(), pytest.raises(MalformedMemberKey, match=problem) as raised:
        services.member_key_create(actor=member, key_file=text)
    assert (raised.value.code, raised.value.field) == ("member_key.malformed", "key_file")
    assert not MemberKey.objects.exists()


def test_weak_argon2_parameters_are_refused(nothing_written):
    member = _member()
    document = key_file_for().to_json()
    document["kdf"]["memory_kib"] = 1024
    with nothing_written(), pytest.raises(MalformedMemberKey, match="weaker than OWASP"):
        services.member_key_create(actor=member, key_file=json.dumps(document))


@pytest.mark.parametrize("who", ["officer", "supplier", "no role"])
def test_only_committee_members_hold_opening_keys(who, nothing_written):
    user = {
        "officer": lambda: make_member(Role.PROCUREMENT_OFFICER),
        "supplier": lambda: make_member(Role.BIDDER),
        "no role": lambda: make_member(Role.COMMITTEE_MEMBER, is_active=False),
    }[who]()
    with nothing_written(), pytest.raises(TenderNotAllowed):
        services.member_key_create(actor=user, key_file=key_file_for().dumps())


def test_a_second_key_is_refused_and_a_key_is_never_registered_twice(nothing_written):
    member, other = _member(), _member()
    key_file = key_file_for()
    services.member_key_create(actor=member, key_file=key_file.dumps())
    with nothing_written():
        with pytest.raises(MemberKeyExists):
            services.member_key_create(actor=member, key_file=key_file_for().dumps())
        with pytest.raises(MemberKeyReused):
            services.member_key_create(actor=other, key_file=key_file.dumps())


def test_changing_the_passphrase_keeps_the_key_pair():
    # given a registered key
    member = _member()
    key_file, _private = member_keys.create("the first passphrase")
    key = services.member_key_create(actor=member, key_file=key_file.dumps())

    # when the member re-encrypts it on their device under a new passphrase and uploads it
    rewrapped = member_keys.change_passphrase(
        key_file, "the first passphrase", "the second passphrase"
    )
    services.member_key_rewrap(actor=member, key_file=rewrapped.dumps())

    # then the same key (same fingerprint) now opens with the new passphrase only
    key = MemberKey.objects.get(pk=key.pk)
    assert (key.fingerprint, key.key_file, key.rewrapped_at) == (
        key_file.fingerprint,
        rewrapped.dumps(),
        NOW,
    )
    stored = member_keys.MemberKeyFile.loads(key.key_file)
    with pytest.raises(member_keys.WrongPassphrase):
        member_keys.unlock(stored, "the first passphrase")
    member_keys.unlock(stored, "the second passphrase")
    assert _events()[-1] == ("member_key.rewrapped", {"fingerprint": key_file.fingerprint})


def test_rewrapping_another_key_pair_or_without_a_key_is_refused(nothing_written):
    member = _member()
    with nothing_written(), pytest.raises(NoMemberKey):
        services.member_key_rewrap(actor=member, key_file=key_file_for().dumps())
    services.member_key_create(actor=member, key_file=key_file_for().dumps())
    with nothing_written(), pytest.raises(MemberKeyDiffers):
        services.member_key_rewrap(actor=member, key_file=key_file_for().dumps())


def test_rotating_retires_the_old_key_and_keeps_it_for_past_shares():
    member = _member()
    old_file, new_file = key_file_for(), key_file_for()
    old = services.member_key_create(actor=member, key_file=old_file.dumps())

    new = services.member_key_rotate(actor=member, key_file=new_file.dumps())

    assert list(
        MemberKey.objects.filter(user=member)
        .order_by("pk")
        .values_list("fingerprint", "retired_at")
    ) == [(old.fingerprint, NOW), (new_file.fingerprint, None)]
    assert new.fingerprint == new_file.fingerprint
    assert _events()[-1] == (
        "member_key.rotated",
        {"fingerprint": new_file.fingerprint, "previous_fingerprint": old_file.fingerprint},
    )


def test_rotation_is_refused_while_a_published_tender_not_yet_opened_uses_the_key(
    nothing_written,
):
    # given an opener whose key holds shares of a published tender
    tender, team = tender_in_state("published")
    member = team.opening[0]
    with nothing_written(), pytest.raises(MemberKeyInUse) as raised:
        services.member_key_rotate(actor=member, key_file=key_file_for().dumps())
    assert (raised.value.code, raised.value.params) == (
        "member_key.in_use",
        {"tenders": [tender.ocid]},
    )


def test_rotation_is_allowed_once_the_tender_is_no_longer_waiting_for_its_opening():
    _tender, team = tender_in_state("unsuccessful")
    member = team.opening[0]
    new = services.member_key_rotate(actor=member, key_file=key_file_for().dumps())
    assert MemberKey.objects.get(user=member, retired_at=None) == new


def test_the_cli_registers_and_fetches_its_key_with_a_personal_api_token(client):
    # given a committee member's personal API token (what `panjere` sends)
    member = _member()
    _token, raw = api_token_create(
        actor=member, name="panjere", expires_in_days=30, second_factor_verified=True
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    key_file = key_file_for()

    # when it uploads the key file, then fetches it
    created = client.post(
        API, {"key_file": key_file.to_json()}, content_type="application/json", **auth
    )
    fetched = client.get(API, **auth)

    # then the same file comes back
    assert created.status_code == 201
    assert fetched.status_code == 200
    body = fetched.json()
    assert (body["fingerprint"], body["key_file"], body["retired_at"]) == (
        key_file.fingerprint,
        key_file.to_json(),
        None,
    )
    assert body == created.json()


def test_the_api_refuses_a_malformed_file_with_a_problem(client, nothing_written):
    member = _member()
    _token, raw = api_token_create(
        actor=member, name="panjere", expires_in_days=30, second_factor_verified=True
    )
    with nothing_written():
        response = client.post(
            API,
            {"key_file": {"format": "x"}},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "member_key.malformed"


def _bearer(user) -> dict:
    _token, raw = api_token_create(
        actor=user, name="panjere", expires_in_days=30, second_factor_verified=True
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_member_gets_their_own_sealed_shares_and_no_one_else_does(client):
    # given a published tender
    tender, team = tender_in_state("published")
    member = team.opening[1]
    url = f"/api/v1/tenders/{tender.pk}/key-shares/"

    # when its second opener and its officer ask for their shares
    mine = client.get(url, **_bearer(member))
    officer = client.get(url, **_bearer(team.officer))

    # then the opener gets the share document `panjere share open` reads; the officer nothing
    key = tender.sealing_keys.get()
    assert mine.status_code == 200
    assert mine.json() == [
        {
            "tender": tender.ocid,
            "kind": "single",
            "member": str(member.pk),
            "tender_key": key.fingerprint,
            "member_key": MemberKey.objects.get(user=member).fingerprint,
            "sealed_share": key.shares.get(member=member).sealed_share,
        }
    ]
    assert officer.status_code == 403
    assert officer.json()["code"] == "api.permission_denied"
