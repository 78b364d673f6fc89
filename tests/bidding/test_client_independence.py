"""panjere_client stands alone: standard library and `cryptography`, nothing of Panjere's."""

import ast
import inspect
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from panjere_client import jcs as client_jcs
from panjere_verify import jcs as verify_jcs

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "panjere_client"


def test_it_imports_only_the_standard_library_and_cryptography():
    imported = set()
    for module in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add(node.module.split(".")[0])

    assert imported - sys.stdlib_module_names == {"cryptography"}


def test_its_canonical_json_is_a_copy_of_the_verifiers():
    # the code below the module docstrings is the same, line for line
    def body(module):
        source = inspect.getsource(module)
        return source[source.index('"""', 3) + 3 :]

    assert body(client_jcs) == body(verify_jcs)


texts = st.text(st.characters(exclude_categories=["Cs"]))
values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | texts,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(texts, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(values)
def test_both_copies_agree(value):
    assert client_jcs.canonicalize(value) == verify_jcs.canonicalize(value)


def test_it_runs_from_a_folder_holding_nothing_else(tmp_path):
    # given the package copied alone
    shutil.copytree(PACKAGE, tmp_path / "panjere_client")

    # when python loads its command line there, with no project on the path
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, panjere_client.cli, panjere_client.network; print(sorted(sys.modules))",
        ],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    # then it loads, and none of Panjere's or Django's modules came with it
    assert loaded.returncode == 0, loaded.stderr
    for foreign in ("django", "core", "config", "panjere_verify", "rfc8785", "pyshamir"):
        assert f"'{foreign}'" not in loaded.stdout
