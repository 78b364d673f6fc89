"""Fixtures of the sealing tests, and the rule for those that need Node.js.

Tests marked `node` run the committed browser bundle (static/js/sealing.js)
under Node.js 20+, through tests/bidding/node/harness.mjs. Without node they
are skipped with a reason; with PANJERE_REQUIRE_SERVICES=1 (CI, which
installs Node.js) a missing node fails them instead.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from panjere_client.envelope import Context

NODE = os.environ.get("PANJERE_NODE", "node")


def node_missing() -> str | None:
    """Why the node tests cannot run here, or None."""
    path = shutil.which(NODE)
    if path is None:
        return f"needs Node.js 20+ ({NODE!r} is not on PATH)"
    version = subprocess.run(
        [path, "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < 20:
        return f"needs Node.js 20+, found {version or 'an unknown version'}"
    return None


def pytest_runtest_setup(item):
    if item.get_closest_marker("node") is None:
        return
    reason = node_missing()
    if reason is None:
        return
    if os.environ.get("PANJERE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (PANJERE_REQUIRE_SERVICES=1: CI refuses to skip it)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def tender_key() -> X25519PrivateKey:
    """One tender key pair for the session (the private half is the test's to open with)."""
    return X25519PrivateKey.generate()


@pytest.fixture
def context() -> Context:
    return Context(
        tender="ocds-pnjr01-000042", lot="1", kind="financial", supplier="17", bid_version=2
    )


ROOT = Path(__file__).resolve().parents[2]
HARNESS = Path(__file__).parent / "node" / "harness.mjs"
FRONTEND_SOURCES = ("package.json", "package-lock.json", "build.mjs", "src")


@pytest.fixture
def js():
    """Run one request through the committed bundle under Node.js; return its JSON answer."""

    def run(command: str, **request):
        done = subprocess.run(
            [NODE, str(HARNESS)],
            input=json.dumps({"command": command, **request}),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return run


@pytest.fixture(scope="session")
def frontend_modules(tmp_path_factory) -> Path:
    """A copy of frontend/ with `npm ci` run in it: the locked packages, fresh from the registry."""
    folder = tmp_path_factory.mktemp("frontend")
    for name in FRONTEND_SOURCES:
        source = ROOT / "frontend" / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        else:
            shutil.copy2(source, folder / name)
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.fixture
def tender_keys(monkeypatch):
    """The tender keys of every test tender: `bidding.keys.tender_public_key` reads these."""
    from tests.bidding.factories import TenderKeys

    keys = TenderKeys()
    monkeypatch.setattr("bidding.keys.tender_public_key", keys.lookup)
    return keys


@pytest.fixture
def database_clock():
    """`core.clock.db_now()` is the tender tests' NOW unless a test moves it."""
    from core.clock import frozen_at
    from tests.tenders.factories import NOW

    with frozen_at(NOW):
        yield


@pytest.fixture
def nothing_written():
    """A context manager asserting its block wrote no bid, envelope, receipt, event,
    outbox row or stored envelope file."""
    import contextlib

    from audit.models import Event
    from bidding.models import Bid, Envelope, Receipt
    from bidding.storage import envelope_storage
    from core.models import OutboxMessage

    def files():
        found = []
        stack = ["bids"]
        while stack:
            folder = stack.pop()
            try:
                directories, names = envelope_storage.listdir(folder)
            except FileNotFoundError:
                continue
            found += [f"{folder}/{name}" for name in names]
            stack += [f"{folder}/{directory}" for directory in directories]
        return sorted(found)

    def snapshot():
        return {
            "bids": list(Bid.objects.order_by("pk").values()),
            "envelopes": list(Envelope.objects.order_by("pk").values()),
            "receipts": Receipt.objects.count(),
            "events": Event.objects.count(),
            "outbox": OutboxMessage.objects.count(),
            "files": files(),
        }

    @contextlib.contextmanager
    def watch():
        before = snapshot()
        yield
        assert snapshot() == before

    watch.files = files
    return watch


@pytest.fixture
def envelope_folder(settings, tmp_path):
    """Envelopes stored on the file system in a folder of the test's own (as in production)."""
    from django.utils.functional import empty

    from bidding.storage import envelope_storage

    folder = tmp_path / "envelopes"
    settings.STORAGES = {
        **settings.STORAGES,
        "envelopes": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder)},
        },
    }
    envelope_storage._wrapped = empty
    yield folder
    envelope_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _fresh_envelope_storage():
    """Each test starts with an empty envelope storage (the tests' is in memory)."""
    from django.core.files.storage import storages
    from django.utils.functional import empty

    from bidding.storage import envelope_storage

    storages._storages.pop("envelopes", None)
    envelope_storage._wrapped = empty
    yield
    storages._storages.pop("envelopes", None)
    envelope_storage._wrapped = empty
