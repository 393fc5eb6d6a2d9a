"""The settings registry (oversight/settings.py) against the README's table and the code.

Datasette's tests/test_docs.py is the model: the documentation is parsed, so the docs and the
registry cannot drift apart without this failing."""

import re
from pathlib import Path

import pytest

from oversight import auth, config, settings

ROOT = Path(__file__).resolve().parents[2]
NAME = re.compile(r"\bOVERSIGHT_[A-Z_]+\b")
# Reading a variable from the environment, in any of the ways Python offers.
# (Setting one, `os.environ["OVERSIGHT_DB"] = ...` for an AppTest's server, is not reading it.)
READ = re.compile(r"""(?:environ\.get\(|getenv\(|environ\[)\s*["'](OVERSIGHT_[A-Z_]+)["'](?!\]\s*=[^=])""")
# Not environment variables: the name of the replicas' sticky cookie (deploy/, docs/deployment.md).
NOT_SETTINGS = {"OVERSIGHT_REPLICA"}
OWN = {"oversight/settings.py", "tests/unit/test_settings.py"}  # the registry, and this test's own examples


def _readme_settings() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [m.group(0) for row in rows for m in [NAME.search(row.split("|")[1])] if m]


def _sources() -> list[Path]:
    files = [*ROOT.glob("*.py"), ROOT / "Makefile", ROOT / ".ci" / "run"]
    for folder in ("oversight", "ui", "pages", "bench", "deploy", "tests"):
        files += (ROOT / folder).rglob("*.py")
    return [p for p in files if ".venv" not in p.parts and "cache" not in p.parts]


def test_the_readme_table_names_every_setting_and_no_other():
    documented = _readme_settings()
    assert len(documented) == len(set(documented)), f"named twice in the README: {documented}"
    assert set(documented) == set(settings.BY_NAME), (
        f"in the README only: {sorted(set(documented) - set(settings.BY_NAME))}; "
        f"in oversight/settings.py only: {sorted(set(settings.BY_NAME) - set(documented))}")


def test_every_variable_the_project_names_is_registered():
    named = {}
    for path in _sources():
        for name in NAME.findall(path.read_text(encoding="utf-8")):
            named.setdefault(name, path.relative_to(ROOT))
    unknown = {n: str(p) for n, p in named.items() if n not in settings.BY_NAME and n not in NOT_SETTINGS}
    assert unknown == {}


def test_only_the_registry_reads_a_setting_from_the_environment():
    readers = {str(p.relative_to(ROOT)): READ.findall(p.read_text(encoding="utf-8")) for p in _sources()}
    readers = {p: names for p, names in readers.items() if names and p not in OWN}
    assert readers == {}


def test_the_reader_sees_its_own_reads():
    # The check above would pass on a pattern that matches nothing: it must catch the usual forms.
    for line in ('os.environ.get("OVERSIGHT_DB")', "os.getenv('OVERSIGHT_DB', '')", 'os.environ["OVERSIGHT_DB"]',
                 'os.environ["OVERSIGHT_DB"] == x'):
        assert READ.findall(line) == ["OVERSIGHT_DB"], line
    assert READ.findall('os.environ["OVERSIGHT_DB"] = str(path)') == []


def test_every_setting_parses_its_default_and_says_what_it_is():
    for setting in settings.SETTINGS:
        assert setting.meaning and setting.scope in {"app", "tests"}, setting.name
        setting.value({})  # the default parses


@pytest.mark.parametrize(("environ", "expected"), [({}, None), ({"OVERSIGHT_DB": " "}, None),
                                                    ({"OVERSIGHT_DB": "/x/y.duckdb"}, Path("/x/y.duckdb"))])
def test_an_empty_variable_is_its_default(environ, expected):
    assert settings.DB.value(environ) == expected


def test_readers_take_their_values_from_the_registry(monkeypatch, tmp_path):
    monkeypatch.setenv("OVERSIGHT_DB", str(tmp_path / "a.duckdb"))
    monkeypatch.setenv("OVERSIGHT_ROLES", str(tmp_path / "roles.toml"))
    monkeypatch.setenv("OVERSIGHT_LOCAL_DATA_MANAGER", "1")
    assert config.database_path() == tmp_path / "a.duckdb"
    assert config.database_path(tmp_path / "b.duckdb") == tmp_path / "b.duckdb"
    assert auth.roles_path() == tmp_path / "roles.toml"
    assert auth.local_data_manager_enabled() is True
    monkeypatch.setenv("OVERSIGHT_LOCAL_DATA_MANAGER", "true")  # only "1" counts
    assert auth.local_data_manager_enabled() is False
    monkeypatch.delenv("OVERSIGHT_DB")
    monkeypatch.delenv("OVERSIGHT_ROLES")
    assert config.database_path() == config.DEFAULT_DB
    assert auth.roles_path() == auth.DEFAULT_ROLES_FILE
    assert settings.SUPPRESSION.value({"OVERSIGHT_SUPPRESSION": "10"}) == 10
