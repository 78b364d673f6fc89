"""The `panjere` command against a running platform: seal, submit, verify, withdraw, late."""

import base64
import json

import pytest

from accounts.services import api_token_create
from bidding.models import Bid
from core.clock import frozen_at
from panjere_client import bundle
from panjere_client.cli import main
from panjere_client.jcs import canonicalize
from tests.bidding.factories import NOW, SUBMISSION_DEADLINE, bidder, published

pytestmark = pytest.mark.django_db(transaction=True)


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def setting(tender_keys, tmp_path):
    with frozen_at(NOW):
        tender, lot, _team = published()
        supplier, admin = bidder()
    _token, raw = api_token_create(actor=admin, name="cli", expires_in_days=30)
    (tmp_path / "token").write_text(raw)
    (tmp_path / "tender.pub").write_text(base64.b64encode(tender_keys.public("single")).decode())
    context = {"tender": tender.ocid, "lot": "1", "supplier": str(supplier.pk), "bid_version": 1}
    (tmp_path / "ctx.json").write_text(json.dumps(context))
    schedule = bundle.build_price_schedule(
        "IRR",
        [
            {
                "item": "1",
                "description": "Asphalt milling",
                "quantity": "42000",
                "unit": "m2",
                "unit_price": "150000",
            }
        ],
    )
    (tmp_path / "price-schedule.json").write_bytes(canonicalize(schedule))
    (tmp_path / "offer.pdf").write_bytes(b"%PDF-1.7 technical offer")
    return tender, lot, supplier, admin


def test_a_supplier_seals_submits_verifies_and_withdraws_with_the_cli(
    setting, tmp_path, capsys, live_server
):
    tender, _lot, supplier, _admin = setting
    platform = ["--platform", live_server.url, "--token-file", tmp_path / "token"]
    # seal
    code, _out, err = run(
        capsys,
        "seal",
        "--tender-key",
        tmp_path / "tender.pub",
        "--kind",
        "single",
        "--context",
        tmp_path / "ctx.json",
        "--out",
        tmp_path / "env.bin",
        tmp_path / "price-schedule.json",
        tmp_path / "offer.pdf",
    )
    assert (code, err) == (0, "")
    # submit, at NOW on the platform's clock
    with frozen_at(NOW):
        code, out, err = run(
            capsys,
            "bid",
            "submit",
            tmp_path / "env.bin",
            "--receipt-out",
            tmp_path / "receipt.json",
            *platform,
        )
    assert (code, err) == (0, "")
    bid = Bid.objects.get()
    assert out == (
        f"OK: bid {bid.pk} version 1 for {tender.ocid} lot 1 received at "
        f"2029-06-01T09:00:00.000000Z (single); receipt verified and written to "
        f"{tmp_path / 'receipt.json'}\n"
    )
    # a rerun of the same command is a retry: the same bid, no second one
    with frozen_at(NOW):
        code, out, _err = run(
            capsys,
            "bid",
            "submit",
            tmp_path / "env.bin",
            "--receipt-out",
            tmp_path / "again.json",
            *platform,
        )
    assert code == 0 and Bid.objects.count() == 1
    # the receipt verifies offline against the published key set and the envelope
    (tmp_path / "keys.json").write_text(
        json.dumps(json.loads(run_get(live_server.url + "/api/v1/audit/keys/")))
    )
    code, out, err = run(
        capsys,
        "receipt",
        "verify",
        tmp_path / "receipt.json",
        "--keys",
        tmp_path / "keys.json",
        "--envelope",
        tmp_path / "env.bin",
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"OK: receipt of bid {bid.pk} version 1 of supplier {supplier.pk}")
    # fetch it again from the platform, verified
    code, _out, _err = run(
        capsys, "receipt", "fetch", bid.pk, "--out", tmp_path / "fetched.json", *platform
    )
    assert code == 0
    assert json.loads((tmp_path / "fetched.json").read_text()) == json.loads(
        (tmp_path / "receipt.json").read_text()
    )
    # withdraw
    with frozen_at(NOW):
        code, out, err = run(capsys, "bid", "withdraw", bid.pk, *platform)
    assert (code, out, err) == (
        0,
        f"OK: bid {bid.pk} is withdrawn (at 2029-06-01T12:30:00+03:30)\n",
        "",
    )


def test_a_late_submission_is_refused_with_the_platform_reason(
    setting, tmp_path, capsys, live_server
):
    run(
        capsys,
        "seal",
        "--tender-key",
        tmp_path / "tender.pub",
        "--kind",
        "single",
        "--context",
        tmp_path / "ctx.json",
        "--out",
        tmp_path / "env.bin",
        tmp_path / "price-schedule.json",
    )
    with frozen_at(SUBMISSION_DEADLINE):
        code, out, err = run(
            capsys,
            "bid",
            "submit",
            tmp_path / "env.bin",
            "--receipt-out",
            tmp_path / "receipt.json",
            "--platform",
            live_server.url,
            "--token-file",
            tmp_path / "token",
        )
    assert (code, out) == (1, "")
    assert err == (
        "REFUSED: PlatformError: 409 bid.deadline_passed: "
        "The submission deadline passed at 2029-07-06T09:00:00+00:00.\n"
    )
    assert not (tmp_path / "receipt.json").exists()
    assert Bid.objects.count() == 0


def run_get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url) as answer:  # noqa: S310 (the test's own live server)
        return answer.read().decode()
