"""Configuration from the environment, and the translations that ship."""

import os
from pathlib import Path

from tests.factories import run_project_python

PROJECT_DIR = Path(__file__).resolve().parents[1]


def run_django_check(**env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="stowarzyszenie.settings")
    return run_project_python("manage.py", "check", env=env, timeout=120)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    # An empty SECRET_KEY in the environment also wins over any local .env file.
    result = run_django_check(DEBUG="0", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_starts_with_a_secret_key():
    result = run_django_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def po_entries(path):
    import ast

    entries, msgid, msgstr, current = [], None, None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            msgid, current = ast.literal_eval(line[6:]), "id"
        elif line.startswith("msgstr "):
            msgstr, current = ast.literal_eval(line[7:]), "str"
        elif line.startswith("msgstr["):
            # A plural: translated only when every form is.
            form = ast.literal_eval(line.split("] ", 1)[1])
            msgstr, current = (form if msgstr is None else msgstr and form), "str"
        elif line.startswith('"') and current == "id":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and current == "str":
            msgstr += ast.literal_eval(line)
        elif not line.strip() and msgid is not None:
            entries.append((msgid, msgstr))
            msgid, msgstr, current = None, None, None
    return [(i, s) for i, s in entries if i]


def test_every_string_has_a_polish_translation():
    po = PROJECT_DIR / "locale" / "pl" / "LC_MESSAGES" / "django.po"
    untranslated = [msgid for msgid, msgstr in po_entries(po) if not msgstr]
    assert po_entries(po), "no entries found"
    assert untranslated == []
    assert "#, fuzzy" not in po.read_text(encoding="utf-8")
