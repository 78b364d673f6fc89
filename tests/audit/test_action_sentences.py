"""Every action the code base records reads as a sentence on the auditor's pages."""

import ast
import re
from pathlib import Path

from django.core import checks
from django.test import override_settings
from django.utils import translation

from audit.actions import ACTIONS, sentence
from audit.checks import audit_describers_import
from audit.describers import Describer, registered

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def recorded_actions(root: Path = ROOT) -> dict[str, str]:
    """Each action code the apps record → the first module that records it.

    An action is recorded as the `action=` keyword of `audit.services.record`,
    `run_transition` or a service's helper, always a string constant, or as a
    module constant whose name ends in ACTION (`accounts.demo.ACTION`).
    """
    found = {}
    for apps_py in sorted(root.glob("*/apps.py")):
        for path in sorted(apps_py.parent.rglob("*.py")):
            if "migrations" in path.parts or "__pycache__" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = None
                if (isinstance(node, ast.keyword) and node.arg == "action") or (
                    isinstance(node, ast.Assign)
                    and any(
                        isinstance(target, ast.Name) and target.id.endswith("ACTION")
                        for target in node.targets
                    )
                ):
                    value = node.value
                if (
                    isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and CODE.match(value.value)
                ):
                    found.setdefault(value.value, path.relative_to(root).as_posix())
    return found


def test_every_recorded_action_has_a_sentence():
    recorded = recorded_actions()

    assert len(recorded) > 50
    assert {code: module for code, module in recorded.items() if code not in ACTIONS} == {}


def test_every_sentence_is_of_an_action_the_code_base_records():
    # a sentence whose action is no longer recorded leaves the registry with it
    assert set(ACTIONS) - set(recorded_actions()) == set()


def test_the_search_finds_actions_however_they_are_recorded(tmp_path):
    # given an app that records one action directly, one through a helper, one by a constant
    app = tmp_path / "shop"
    app.mkdir()
    (app / "apps.py").write_text("")
    (app / "services.py").write_text(
        'record(action="order.placed")\n'
        'run_transition(o, o.ship, actor=a, action="order.shipped")\n'
        'DEMO_ACTION = "order.loaded"\n'
        'parser.add_argument("--x", action="store_true")\n'
    )

    assert recorded_actions(tmp_path) == {
        "order.placed": "shop/services.py",
        "order.shipped": "shop/services.py",
        "order.loaded": "shop/services.py",
    }


def test_a_sentence_is_in_the_readers_language_and_an_unknown_code_reads_as_itself():
    assert sentence("tender.published") == "Tender published"
    with translation.override("fa"):
        assert sentence("tender.published") == "مناقصه منتشر شد"
        assert sentence("tender.closed") == "مهلت پیشنهادهای مناقصه بسته شد"
    assert sentence("shop.order_placed") == "shop.order_placed"


def test_every_sentence_reads_in_persian_without_a_latin_word():
    # (the only Latin text allowed in a Persian sentence is a name such as "API")
    with translation.override("fa"):
        latin = {
            code: str(text)
            for code, text in ACTIONS.items()
            if re.search(r"[A-Za-z]", str(text).replace("API", ""))
        }
    assert latin == {}


def test_every_describer_is_a_describer_and_the_check_says_so():
    assert all(isinstance(describer, Describer) for describer in registered().values())
    assert audit_describers_import(None) == []


@override_settings(
    AUDIT_DESCRIBERS={
        "shop.order": "shop.describers.Nowhere",
        "audit.event": "audit.actions.sentence",
    }
)
def test_the_check_names_a_describer_that_does_not_import_or_is_not_one():
    errors = audit_describers_import(None)

    assert [(error.id, error.level) for error in errors] == [
        ("audit.E002", checks.ERROR),
        ("audit.E001", checks.ERROR),
    ]
    assert errors[0].msg == (
        "The audit describer of 'audit.event', 'audit.actions.sentence', is not a Describer."
    )
