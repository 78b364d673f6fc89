"""static/js/sealing.js is committed, so `make run` never needs Node: it must be what the
locked packages and frontend/src build to, and stay within what the pages' CSP allows.

The rebuild runs `npm ci` (the npm registry) and esbuild under Node.js; CI runs it.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest

from .conftest import NODE

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "static" / "js" / "sealing.js"


@pytest.mark.node
def test_the_committed_bundle_is_what_the_sources_build_to(frontend_modules, tmp_path):
    # when the locked packages build frontend/src afresh
    out = tmp_path / "sealing.js"
    done = subprocess.run(
        [NODE, "build.mjs", "--outfile", str(out)],
        cwd=frontend_modules,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # then the result is the committed file, byte for byte
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == BUNDLE.read_bytes(), (
        "static/js/sealing.js is stale: run `make bundle` and commit it"
    )


def test_it_is_one_file_that_evaluates_nothing_and_fetches_nothing():
    text = BUNDLE.read_text(encoding="utf-8")

    assert text.startswith("/* Panjere sealing bundle: built from frontend/src/sealing")
    assert "var PanjereSealing=" in text
    for forbidden in (
        "eval(",
        "new Function",
        "Function(",
        "WebAssembly",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "http://",
        "https://",
    ):
        assert forbidden not in text, forbidden
    # the only dynamic import is @hpke's fallback to Node's "crypto", never reached in a
    # browser, which has globalThis.crypto
    assert re.findall(r"import\(([^)]*)\)", text) == ['"crypto"', '"crypto"']
    assert len(BUNDLE.read_bytes()) < 150_000


def test_the_packages_are_pinned_exactly():
    package = json.loads((ROOT / "frontend" / "package.json").read_text())
    lock = json.loads((ROOT / "frontend" / "package-lock.json").read_text())

    pinned = {**package["dependencies"], **package["devDependencies"]}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pinned.values()), pinned
    assert set(package["dependencies"]) == {"@hpke/core", "@hpke/dhkem-x25519", "@noble/hashes"}
    for name, version in pinned.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
