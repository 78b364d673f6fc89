import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from . import factories

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli():
    """Run `python -m panjere_verify ARGS` from the project folder; return (status, out, err)."""

    def run(*args, stdin: str | None = None):
        done = subprocess.run(
            [sys.executable, "-m", "panjere_verify", *map(str, args)],
            cwd=ROOT,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def log(tmp_path):
    """Ten events; a checkpoint of 6 signed by a since-retired key, one of 10 by the current key."""
    records = factories.build_chain(10)
    old_key, new_key = factories.Signer(), factories.Signer()
    keys = factories.key_set(old_key.entry("retired"), new_key.entry("current"))
    early = factories.checkpoint(records, 6, old_key)
    latest = factories.checkpoint(records, 10, new_key)
    return SimpleNamespace(
        records=records,
        old_key=old_key,
        new_key=new_key,
        keys=keys,
        early=early,
        latest=latest,
        dir=tmp_path,
        keys_file=factories.write_json(tmp_path / "keys.json", keys),
        early_file=factories.write_json(tmp_path / "cp-6.json", early),
        latest_file=factories.write_json(tmp_path / "cp-10.json", latest),
    )
