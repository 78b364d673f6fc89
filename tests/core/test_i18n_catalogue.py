"""The Persian catalogue covers every translatable string, and the compiled .mo is current."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "fa" / "LC_MESSAGES"
# What is not the project's source: never scanned for strings.
NOT_SOURCE = {
    ".venv",
    ".git",
    "staticfiles",
    "media",
    "private",
    "node_modules",
    "test-artifacts",
    ".ruff_cache",
    ".pytest_cache",
}


def _ignore(directory, names):
    ignored = {name for name in names if name == "__pycache__" or name.endswith((".pyc", ".mo"))}
    ignored |= {name for name in names if name.startswith("db.sqlite3")}
    # npm packages anywhere (tests/e2e's axe-core too) are not Panjere's source.
    ignored |= {name for name in names if name == "node_modules"}
    if Path(directory) == ROOT:
        ignored |= NOT_SOURCE & set(names)
    return ignored


def _catalogue(entries) -> dict:
    """(context, msgid) -> translation(s), for every entry a .mo would carry."""
    return {
        (entry.msgctxt, entry.msgid): (
            tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
        if entry.msgid and not entry.obsolete and "fuzzy" not in entry.flags
    }


def test_every_translatable_string_has_a_persian_translation(tmp_path):
    # given a copy of the project's source, with the committed catalogue
    copy = tmp_path / "panjere"
    shutil.copytree(ROOT, copy, ignore=_ignore)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }

    # when the strings are extracted afresh from the source
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fa", "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    # then every string already has a Persian translation, none of them fuzzy
    assert result.returncode == 0, result.stderr
    po = polib.pofile(str(copy / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert missing == [], "Strings without a Persian translation:\n" + "\n".join(missing)
    assert fuzzy == [], "Fuzzy Persian translations to review:\n" + "\n".join(fuzzy)
    assert len(po) > 200


def test_the_committed_mo_is_the_compiled_po(tmp_path):
    # given the committed catalogue and its compiled form
    po = polib.pofile(str(CATALOGUE / "django.po"))
    committed = polib.mofile(str(CATALOGUE / "django.mo"))

    # when the .po is compiled afresh
    fresh_path = tmp_path / "django.mo"
    po.save_as_mofile(str(fresh_path))
    fresh = polib.mofile(str(fresh_path))

    # then both carry the same translations and the same plural rule
    assert _catalogue(committed) == _catalogue(fresh)
    assert committed.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert not po.metadata_is_fuzzy
