"""panjere_verify stands alone: standard library and `cryptography`, nothing of Panjere's."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from . import factories

PACKAGE = Path(__file__).resolve().parents[2] / "panjere_verify"


def test_it_imports_only_the_standard_library_and_cryptography():
    imported = set()
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])

    assert imported - sys.stdlib_module_names == {"cryptography"}


def _python(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        env={"PATH": "/usr/bin:/bin"},  # no PYTHONPATH, no DJANGO_SETTINGS_MODULE
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_runs_from_a_folder_holding_nothing_else(tmp_path, log):
    # given the package copied alone, with a checkpoint and the key set
    shutil.copytree(PACKAGE, tmp_path / "panjere_verify")
    factories.write_json(tmp_path / "cp.json", log.latest)
    factories.write_json(tmp_path / "keys.json", log.keys)

    # when it runs there
    done = _python(tmp_path, "-m", "panjere_verify", "checkpoint", "cp.json", "--keys", "keys.json")
    loaded = _python(
        tmp_path,
        "-c",
        "import sys, panjere_verify.cli as c; print(c.__file__); print(sorted(sys.modules))",
    )

    # then it verifies, from the copy, having loaded neither Django nor Panjere's modules
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("OK: checkpoint of the log 'panjere-audit' at size 10")
    where, modules = loaded.stdout.splitlines()
    assert where == str(tmp_path / "panjere_verify" / "cli.py")
    for foreign in ("django", "audit", "core", "config", "accounts", "rfc8785"):
        assert f"'{foreign}'" not in modules
