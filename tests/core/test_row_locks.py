"""Every row lock is taken in an app's lock_objects.py (in pk order): one place to find them."""

import ast
from pathlib import Path

from tests.core.test_import_floors import ALLOWED, ROOT

# The audit chain head is the audit trail's own lock, taken where events are appended.
EXCEPTIONS = {"audit/services.py"}


def _modules_locking_rows(root: Path) -> set[str]:
    found = set()
    for app in ALLOWED:
        for path in (root / app).rglob("*.py"):
            if "__pycache__" in path.parts or "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(
                isinstance(node, ast.Attribute) and node.attr == "select_for_update"
                for node in ast.walk(tree)
            ):
                found.add(path.relative_to(root).as_posix())
    return found


def test_select_for_update_is_only_in_lock_objects():
    outside = {
        module
        for module in _modules_locking_rows(ROOT)
        if not module.endswith("/lock_objects.py") and module not in EXCEPTIONS
    }

    assert outside == set()


def test_the_apps_that_lock_rows_have_their_lock_objects():
    apps = {module.split("/")[0] for module in _modules_locking_rows(ROOT)} - {"audit"}

    assert apps == {"core", "accounts", "suppliers", "tenders", "bidding"}
    assert all((ROOT / app / "lock_objects.py").exists() for app in apps)
