"""The architecture's rules (docs/architecture.md), enforced."""

import ast
import re
from pathlib import Path

from oversight import pages as registry

ROOT = Path(__file__).resolve().parents[2]
SQL_WORDS = re.compile(r"\b(select|insert|update|delete)\b.+\b(from|into|set)\b", re.IGNORECASE | re.DOTALL)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_core_never_imports_streamlit():
    offenders = [p for p in (ROOT / "oversight").rglob("*.py") if "streamlit" in _imports(p)]
    assert offenders == []


def test_pages_hold_no_sql_and_no_database_access():
    for page in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        assert "duckdb" not in _imports(page), page
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not SQL_WORDS.search(node.value), f"SQL in {page.name}: {node.value[:60]}"


def test_only_app_sets_page_config_and_navigation():
    for path in [*ROOT.joinpath("pages").glob("*.py"), *ROOT.joinpath("ui").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "set_page_config" not in text, path
        assert "st.navigation" not in text, path


def test_every_listed_page_exists_and_every_page_is_listed():
    listed = {page.script for page in registry.PAGES}
    on_disk = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")}
    assert listed == on_disk


def test_no_dict_literal_repeats_a_key():
    """A repeated key silently drops the first entry (a merge once lost a page that way)."""
    for path in [ROOT / "app.py", *ROOT.joinpath("oversight").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                keys = [k.value for k in node.keys if isinstance(k, ast.Constant)]
                assert len(keys) == len(set(keys)), (path.name, keys)


def test_sql_lives_in_queries_only():
    """No SQL text in the core beyond the database plumbing and the derived-table builder."""
    allowed = {"db.py", "derived.py", "demo.py"}
    for path in (ROOT / "oversight").rglob("*.py"):
        if path.name in allowed or "loader" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert not SQL_WORDS.search(node.value), f"SQL in {path}: {node.value[:60]}"
