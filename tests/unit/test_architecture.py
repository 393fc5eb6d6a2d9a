"""The architecture's rules (docs/architecture.md), enforced."""

import ast
import itertools
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


def _layer_table() -> list[dict]:
    """The layer table of docs/architecture.md: layer, paths, the top-level names its files may import."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("\n## Layers, and where a change goes\n", 1)[1]
    lines = section.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| layer |"))
    rows = [line for line in itertools.takewhile(lambda line: line.startswith("|"), lines[start + 2:])]
    table = []
    for line in rows:
        cells = [c.strip() for c in line.strip("|").split("|")]
        table.append({"layer": cells[0], "paths": re.findall(r"`([^`]+)`", cells[1]),
                      "may": set(re.findall(r"`([^`]+)`", cells[3]))})
    return table


PROJECT = {"app", "pages", "ui", "oversight", "bench", "deploy", "streamlit"}


def _python_files() -> list[Path]:
    tracked = [ROOT / "app.py", *ROOT.glob("*.py")]
    for folder in ("pages", "ui", "oversight", "bench", "deploy"):
        tracked += (ROOT / folder).rglob("*.py")
    return sorted(set(p for p in tracked if "cache" not in p.relative_to(ROOT).parts))


def _layer_of(path: Path, table: list[dict]) -> dict | None:
    rel = path.relative_to(ROOT).as_posix()
    return next((row for row in table for prefix in row["paths"] if rel == prefix or
                 (prefix.endswith("/") and rel.startswith(prefix))), None)


def _project_imports(path: Path, source: str | None = None) -> set[str]:
    """The project's own top-level packages (and Streamlit) that a file imports; relative imports are its own."""
    own = path.relative_to(ROOT).parts[0].removesuffix(".py")
    names = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(own if node.level else node.module.split(".")[0])
    return names & PROJECT


def test_the_layer_table_is_read_and_points_down():
    table = _layer_table()
    assert [row["layer"] for row in table] == ["tools", "entry", "pages", "UI glue", "core", "SQL"]
    by_package = {prefix.strip("/").removesuffix(".py"): i for i, row in enumerate(table) for prefix in row["paths"]}
    for i, row in enumerate(table):
        for name in row["may"] - {"streamlit"}:
            assert by_package[name] >= i, f"{row['layer']} may import {name}, which is above it"


def test_imports_follow_the_layer_table():
    table = _layer_table()
    files = _python_files()
    assert len(files) > 90, "the walk must find the project's files"
    unplaced = [str(p.relative_to(ROOT)) for p in files if _layer_of(p, table) is None]
    assert unplaced == [], "files in no row of the layer table (docs/architecture.md)"
    wrong = {}
    for path in files:
        row = _layer_of(path, table)
        extra = _project_imports(path) - row["may"]
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert wrong == {}, "imports the layer table does not allow"


def test_the_layer_check_sees_a_wrong_import():
    # A check that cannot fail proves nothing: a core module importing ui, or Streamlit, is caught.
    table = _layer_table()
    core = next(row for row in table if row["layer"] == "core")
    probe = ROOT / "oversight" / "views" / "model.py"
    source = "import streamlit as st\nfrom ui import data\nfrom . import model\nimport polars\n"
    assert _project_imports(probe, source) - core["may"] == {"streamlit", "ui"}


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


TEMPLATE = re.compile(r"\{[a-z_]+\}")  # str.format placeholders, filled with quoted identifiers


def _composed(node: ast.Constant, parents: dict) -> bool:
    """A piece of a statement composed around identifiers (a statement per contract table), or a loader
    rule's predicate (oversight/loader/rules.py, composed into the check statements): SQL whose table or
    columns vary, which no fixed file can hold. Everything else is a fixed statement."""
    parent = parents.get(node)
    if isinstance(parent, (ast.BinOp, ast.JoinedStr)) or TEMPLATE.search(node.value):
        return True
    call = parents.get(parent) if isinstance(parent, ast.keyword) else parent
    return isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Reference"


def _fixed_sql(source: str) -> list[str]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    return [node.value[:60] for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_WORDS.search(node.value)
            and not _composed(node, parents)]


def test_sql_lives_in_queries_only():
    """No fixed statement in the core, the loader, the database plumbing and the demo included: it is a
    file in queries/ run by oversight.queries.execute. Only statements built around identifiers stay."""
    found = {str(path.relative_to(ROOT)): _fixed_sql(path.read_text(encoding="utf-8"))
             for path in [*(ROOT / "oversight").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]}
    assert {path: sql for path, sql in found.items() if sql} == {}


def test_the_sql_check_tells_a_fixed_statement_from_a_composed_one():
    fixed = 'con.execute("insert into batches values (1) ")\nx = "select a from b"'
    composed = ('con.execute("delete from " + ident(t) + " where x")\ny = "insert into {t} select 1 from z"\n'
                'Reference("a", only_if="exists (select 1 from m_agreements a where a.x = c.x)")')
    assert len(_fixed_sql(fixed)) == 2
    assert _fixed_sql(composed) == []
