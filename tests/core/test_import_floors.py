"""Floors only look down: every import between the project's apps follows DESIGN.md's rule.

`core` imports no app; `audit` (and `notifications`, beside it) only `core`;
`accounts` imports `core` and `audit`; the domain apps import those and the
apps below them in the tender's life (tenders → suppliers, …), never the other
way; `home` (the home page, the dashboard) and `demo` (the demo loader) sit
above every domain app; `config` is the project itself. Every module of every
app is parsed with `ast`, imports inside functions included, so a lazy import
does not hide an upward one.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

CORE = {"core"}
RECORD = CORE | {"audit", "notifications"}
PEOPLE = RECORD | {"accounts"}
DOMAIN = PEOPLE | {"suppliers", "tenders"}

# Each app, and the apps it may import. A new app gets its row here, on its floor.
ALLOWED = {
    "core": set(),
    "audit": {"core"},
    "notifications": {"core"},
    "accounts": {"core", "audit"},
    "suppliers": PEOPLE,
    "tenders": PEOPLE | {"suppliers"},
    "bidding": DOMAIN,
    "home": DOMAIN | {"bidding"},
    "demo": DOMAIN | {"bidding"},
    "config": DOMAIN | {"bidding", "home", "demo"},
}

# Upward imports known today, each with the work that removes it. The list may only
# shrink: a new upward import fails, and so does an entry whose import is gone.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}


def _top_level(module: str) -> str:
    return module.split(".", 1)[0]


def imports_of(path: Path, app: str) -> set[str]:
    """The other apps of ours that the module at `path`, in `app`, imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {_top_level(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(_top_level(node.module))
        # A relative import stays inside its own app.
    return {name for name in found if name in ALLOWED and name != app}


def import_edges(root: Path = ROOT) -> dict[tuple[str, str], set[str]]:
    """(importing app, imported app) -> the importing modules, relative to `root`."""
    edges = defaultdict(set)
    for app in ALLOWED:
        for path in sorted((root / app).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            for imported in imports_of(path, app):
                edges[(app, imported)].add(path.relative_to(root).as_posix())
    return edges


def upward_imports(edges) -> list[tuple[str, str]]:
    """Every (module, imported app) that the table does not allow and is not a known exception."""
    return sorted(
        (module, imported)
        for (app, imported), modules in edges.items()
        if imported not in ALLOWED[app]
        for module in modules
        if (module, imported) not in KNOWN_EXCEPTIONS
    )


def cycles(edges) -> list[list[str]]:
    """The cycles of the app graph (each as the list of apps around it)."""
    graph = defaultdict(set)
    for app, imported in edges:
        graph[app].add(imported)
    found, path, done = [], [], set()

    def visit(app):
        if app in path:
            found.append([*path[path.index(app) :], app])
            return
        if app in done:
            return
        path.append(app)
        for imported in sorted(graph[app]):
            visit(imported)
        path.pop()
        done.add(app)

    for app in sorted(graph):
        visit(app)
    return found


def _without_known_exceptions(edges):
    kept = {}
    for (app, imported), modules in edges.items():
        rest = {module for module in modules if (module, imported) not in KNOWN_EXCEPTIONS}
        if rest:
            kept[(app, imported)] = rest
    return kept


def test_every_app_of_ours_has_a_floor():
    # given the apps Django runs, and the project's top-level packages that are apps
    installed = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    packages = {path.parent.name for path in ROOT.glob("*/apps.py")}

    # then each one has its row in the table (config is the project, not an app)
    assert installed == packages
    assert installed | {"config"} == set(ALLOWED)


def test_core_imports_no_app():
    edges = import_edges()

    assert {imported for (app, imported) in edges if app == "core"} == set()


def test_each_app_imports_only_the_apps_its_floor_allows():
    assert upward_imports(import_edges()) == []


def test_the_known_exceptions_are_still_there():
    # when one is removed, it leaves the list too
    edges = import_edges()
    present = {
        (module, imported) for (_app, imported), modules in edges.items() for module in modules
    }

    assert set(KNOWN_EXCEPTIONS) - present == set()


def test_there_is_no_cycle_between_apps():
    # the table itself has none, and nor do the imports (beyond the known exceptions)
    assert cycles({(app, imported) for app, below in ALLOWED.items() for imported in below}) == []
    assert cycles(_without_known_exceptions(import_edges())) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("core/clock.py", "from tenders.models import Tender", [("core/clock.py", "tenders")]),
        (
            "suppliers/selectors.py",
            "def f():\n    import tenders.selectors\n",
            [("suppliers/selectors.py", "tenders")],
        ),
        (
            "accounts/models.py",
            "from suppliers import services",
            [("accounts/models.py", "suppliers")],
        ),
        (
            "tenders/views.py",
            "from home.dashboard import action_items",
            [("tenders/views.py", "home")],
        ),
        ("tenders/views.py", "from suppliers.selectors import suppliers_for_user", []),
        ("tenders/services/approval.py", "from .. import ocds", []),
    ],
)
def test_the_check_catches_an_upward_import(tmp_path, module, source, expected):
    # given a project whose one module imports as `source` does
    path = tmp_path / module
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")

    # when the floors are checked
    found = upward_imports(import_edges(tmp_path))

    # then exactly the upward import is reported
    assert found == expected
