"""Issue 9, hostile input: hypothesis throws malformed submissions at the loader, check and load.

The properties (inputs from tests/fuzz_strategies.py, against a database holding the
template's example rows):

1. `check` never raises, whatever the files: the outcome is a clean check or problems, each
   naming what the contract asks (file; sheet, row, column, value and rule where there is one)
   and readable in Korean and English. (`Busy` and `DatabaseUnreadable`, the loader's documented
   errors, concern the database, not the files: the database here is always sound and free.)
2. A batch with problems is refused, and the database file stays byte for byte as it was.
3. A clean batch loads exactly: every table holds what it held, with the batch's rows added or
   replacing the row of the same key, and nothing else; a batch of valid rows is always clean,
   and one broken in any of the ways of fs.BREAKS never is.
4. One cell of a valid table made hostile: a problem names that row and column, or the batch
   loads and the database holds what the contract reads in the cell.

Runs are derandomised (the same inputs every time) and bounded in time, unless scaled up for
the soak; the counts go to test-results/fuzz.json and one `FUZZ {...}` line for the note.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

import fuzz_strategies as fs
from conftest import ROOT
from oversight import loader, schema
from oversight import settings as oversight_settings
from oversight.loader import problems, sources, template

# `make test` tries the same inputs every run, within about a minute; `make soak`
# (OVERSIGHT_FUZZ_SCALE=20) tries that many times more, new ones each run, and prints how to
# replay a failure (@reproduce_failure).
SCALE = oversight_settings.FUZZ_SCALE.value()
SOAK = SCALE > 1
FUZZ = settings(
    derandomize=not SOAK, database=None, deadline=None, print_blob=SOAK,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large,
                           HealthCheck.large_base_example, HealthCheck.filter_too_much],
)
DATA_DATE = dt.date(2026, 6, 30)


def examples(n: int) -> int:
    return max(1, round(n * SCALE))


STATS: Counter = Counter()  # inputs, batches, crashes, partial loads, outcomes
RULES: Counter = Counter()  # rules seen, for the note
STARTED: list[float] = []
BASE_STATE: dict[Path, tuple[dict, str]] = {}  # the base database's rows and hash, taken once


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The template's example, loaded into a new database (the fuzz inputs refer to its rows)."""
    path = tmp_path_factory.mktemp("fuzz") / "base.duckdb"
    workbook = loader.Submission("example.xlsx", template.template(example_rows=True))
    outcome = loader.import_files([workbook], path, by="fuzz", data_date=DATA_DATE)
    assert outcome.outcome == "loaded"
    STARTED.append(time.perf_counter())
    return path


@contextlib.contextmanager
def live_copy(base: Path):
    """A copy of the base database to load into, removed afterwards with its lock and log."""
    folder = Path(tempfile.mkdtemp(prefix="case-", dir=base.parent))
    path = folder / "live.duckdb"
    shutil.copy(base, path)
    try:
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(path: Path) -> dict[str, dict[tuple, tuple]]:
    """Every contract table: key -> the row's values (batch ids aside)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as d (read_only)", [str(path)])
        result = {}
        for name in schema.LOAD_ORDER:
            spec = schema.TABLES[name]
            rows = con.table(f"d.{name}").select(*spec.column_names).fetchall()
            positions = [spec.column_names.index(k) for k in spec.key]
            result[name] = {tuple(r[i] for i in positions): r for r in rows}
        return result
    finally:
        con.close()


def rows_written_by(path: Path, batch_id: str) -> dict[str, int]:
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach ? as d (read_only)", [str(path)])
        written = duckdb.ColumnExpression("batch_id") == duckdb.ConstantExpression(batch_id)
        return {name: con.table(f"d.{name}").filter(written).count("*").fetchall()[0][0] for name in schema.LOAD_ORDER}
    finally:
        con.close()


# --- the loader, with crashes counted ---------------------------------------------------------------


def check(files: list[loader.Submission], db: Path) -> loader.Checked:
    STATS["batches"] += 1
    STATS["inputs"] += len(files)
    STATS["bytes"] += sum(len(f.data) for f in files)
    try:
        checked = loader.check(files, db)
    except Exception:
        STATS["crashes"] += 1
        keep(files)
        raise
    RULES.update(checked.problems.get_column("rule").to_list())
    return checked


def keep(files: list[loader.Submission]) -> None:
    """The files of a crash, kept for reproducing it (test-results/fuzz-crashes/<sha256>/<name>)."""
    for f in files:
        folder = ROOT / "test-results" / "fuzz-crashes" / f.sha256[:16]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (Path(f.name).name or "unnamed")).write_bytes(f.data)


def load(checked: loader.Checked, db: Path, files: list[loader.Submission]) -> loader.Outcome:
    try:
        outcome = loader.load(checked, db, by="fuzz", data_date=DATA_DATE, submissions=files)
    except Exception:
        STATS["crashes"] += 1
        raise
    STATS[outcome.outcome] += 1
    return outcome


def partial_load(message: str) -> None:
    STATS["partial_loads"] += 1
    pytest.fail(message)


# --- what every outcome must satisfy ------------------------------------------------------------------

WHERE_REQUIRED = ("cell", "row", "key", "ref")  # rules about a row: it is named, with its column
ALL_COLUMNS = {c for t in schema.TABLES.values() for c in t.column_names}


def assert_well_formed(checked: loader.Checked, files: list[loader.Submission]) -> None:
    """Every problem says where, as the contract asks, and reads as a sentence in both languages."""
    frame = checked.problems
    assert frame.schema == pl.Schema(problems.SCHEMA)
    by_name: dict[str, list[loader.Submission]] = {}
    for f in files:
        by_name.setdefault(f.name, []).append(f)
    for p in frame.iter_rows(named=True):
        rule, family = p["rule"], p["rule"].split(".")[0]
        where = f"{rule} at {p['file']!r} {p['sheet']!r} row {p['row']} column {p['column']!r}"
        assert family in ("batch", "file", "sheet", "header", *WHERE_REQUIRED), where
        assert p["value"] is None or len(p["value"]) <= problems.VALUE_SHOWN, where
        if family == "batch":
            continue
        assert p["file"] in by_name, where
        if family == "file":
            continue
        (submission, *others) = by_name[p["file"]]
        kind = sources.sniff(submission.data)
        if not others:  # the sheet is named in a workbook, and only there
            assert bool(p["sheet"]) == (kind == "xlsx"), where
        if family == "sheet":
            continue
        assert p["row"] is not None and p["row"] >= 1, where
        if kind == "csv" and not others:
            lines = submission.data.count(b"\n") + submission.data.count(b"\r") + 1
            assert p["row"] <= lines + 1, where
        if family == "header":
            assert p["column"], where
            continue
        assert p["row"] >= 2, where  # a row below the header
        if rule != "row.extra_values":
            assert set(p["column"].split(", ")) <= ALL_COLUMNS, where
        # The value is the cell's, except that a required cell left empty has none, nor has a
        # centre designation left out that loaded rows need (ref.loaded_rows names the new value).
        if family in ("key", "ref", "cell") and rule not in ("cell.required", "ref.loaded_rows"):
            assert p["value"] is not None, where
        if rule == "ref.loaded_rows" and p["value"] is None:
            assert p["column"] == "safe_centre_since", where
    if frame.height:
        for lang in ("ko", "en"):
            try:  # what the Data page and the command line show: a failure here is a crash too
                shown = problems.table(frame, lang, None)
                problems.summary(frame, lang)
                problems.to_csv(frame, lang)
            except Exception:
                STATS["crashes"] += 1
                raise
            assert shown.height == frame.height and shown.get_column(shown.columns[-1]).str.len_chars().min() > 0


def assert_refused(outcome: loader.Outcome, db: Path, before_hash: str, before: dict) -> None:
    if outcome.outcome != "refused":
        partial_load(f"a batch with problems was {outcome.outcome}")
    if sha(db) != before_hash:
        partial_load("a refused batch changed the database file")
    if list(db.parent.glob(f".{db.name}.*building*")):
        partial_load("a refused batch left a staging copy behind")
    after = snapshot(db)  # the file still opens, with the same rows
    assert {t: len(r) for t, r in after.items()} == {t: len(r) for t, r in before.items()}


def assert_loaded_exactly(outcome: loader.Outcome, db: Path, before_hash: str, before: dict,
                          rows: dict[str, list[dict]]) -> None:
    """The tables hold what they held, with these rows added or replacing the row of their key."""
    expected = {t: dict(r) for t, r in before.items()}
    changes = {}
    for table, table_rows in rows.items():
        if not table_rows:
            continue
        spec = schema.TABLES[table]
        new = changed = same = 0
        for row in table_rows:
            key = tuple(row[k] for k in spec.key)
            values = tuple(row[c] for c in spec.column_names)
            old = before[table].get(key)
            new += old is None
            changed += old is not None and old != values
            same += old == values
            expected[table][key] = values
        # removed: loaded checks of a reloaded DQD assessment; these batches hold no DQD results
        changes[table] = {"rows": len(table_rows), "new": new, "changed": changed, "same": same, "removed": 0}
    after = snapshot(db)
    if after != expected:
        diff = {t: {"missing": [k for k in expected[t] if after[t].get(k) != expected[t][k]][:3],
                    "unexpected": [k for k in after[t] if k not in expected[t]][:3]}
                for t in schema.LOAD_ORDER if after[t] != expected[t]}
        partial_load(f"the database does not hold exactly the batch: {diff}")
    assert {t: c.as_dict() for t, c in outcome.changes.items()} == changes
    writes = {t: c["new"] + c["changed"] for t, c in changes.items()}
    if any(writes.values()):
        assert outcome.outcome == "loaded"
        written = {t: n for t, n in rows_written_by(db, outcome.batch_id).items() if n}
        assert written == {t: n for t, n in writes.items() if n}
    else:
        assert outcome.outcome == "unchanged"
        assert sha(db) == before_hash


def typed_rows(checked: loader.Checked) -> dict[str, list[dict]]:
    return {t: f.select(schema.TABLES[t].column_names).to_dicts() for t, f in checked.tables.items()}


# --- 1. any file ------------------------------------------------------------------------------------

UNCLOSED_QUOTE = fs.Upload(
    "consultations.csv", b'consultation_id,institution_id,held_on,topic,hours\nK9,"EX-C1,2026-01-01,other,1\n')

# A workbook whose first part's compressed bytes are damaged: zipfile raised out of check.
DAMAGED_WORKBOOK = fs.Upload("institutions.xlsx", fs.corrupt_first_part(fs.xlsx_bytes(
    {"institutions": [list(schema.TABLES["institutions"].column_names), *fs.example_rows("institutions")]})))

# A Parquet file naming a column twice was refused as damaged.
_HEADER = [*schema.TABLES["consultations"].column_names, "topic"]
DUPLICATE_PARQUET = fs.Upload("consultations.parquet", fs.parquet_bytes(
    "consultations", _HEADER, [[*r, "other"] for r in fs.example_rows("consultations")], typed=True))


@settings(FUZZ, max_examples=examples(32))
@given(uploads=st.lists(fs.hostile_files(), min_size=1, max_size=3))
@example(uploads=[UNCLOSED_QUOTE])
@example(uploads=[DAMAGED_WORKBOOK])
@example(uploads=[DUPLICATE_PARQUET])
def test_any_file_gets_a_clean_check_or_problems_that_say_where(base, uploads):
    files = [u.submission() for u in uploads]
    checked = check(files, base)
    assert_well_formed(checked, files)
    event("clean" if checked.ok else "first problem: " + checked.problems.get_column("rule")[0])
    if checked.ok:  # a damaged file can still be a valid one
        with live_copy(base) as db:
            before, before_hash = snapshot(db), sha(db)
            assert_loaded_exactly(load(checked, db, files), db, before_hash, before, typed_rows(checked))
    else:  # refused: the base itself must stay as it was
        if base not in BASE_STATE:
            BASE_STATE[base] = snapshot(base), sha(base)
        before, before_hash = BASE_STATE[base]
        assert_refused(load(checked, base, files), base, before_hash, before)


def test_an_unclosed_quote_is_named_with_the_row_it_opens_in(base):
    checked = check([UNCLOSED_QUOTE.submission()], base)
    assert [(p["file"], p["row"], p["rule"]) for p in checked.problems.head(1).iter_rows(named=True)] == [
        ("consultations.csv", 2, "file.csv_quote")]


def test_a_damaged_workbook_is_refused_as_damaged(base):
    checked = check([DAMAGED_WORKBOOK.submission()], base)
    assert checked.problems.get_column("rule").to_list() == ["file.corrupt", "batch.references_skipped"]


def test_a_parquet_column_named_twice_is_a_header_problem(base):
    checked = check([DUPLICATE_PARQUET.submission()], base)
    assert checked.problems.select("row", "column", "rule").rows() == [(1, "topic", "header.duplicate")]


# --- 2 and 3. whole batches ---------------------------------------------------------------------------


@settings(FUZZ, max_examples=examples(12))
@given(batch=fs.valid_batch())
def test_a_valid_batch_loads_exactly(base, batch):
    files = fs.written(batch).submissions()
    with live_copy(base) as db:
        before, before_hash = snapshot(db), sha(db)
        checked = check(files, db)
        assert_well_formed(checked, files)
        assert checked.ok, checked.problems.head(5).to_dicts()
        outcome = load(checked, db, files)
        event(f"{len(files)} files -> {outcome.outcome}")
        assert_loaded_exactly(outcome, db, before_hash, before, fs.typed(batch))


@pytest.mark.parametrize("how", sorted(fs.BREAKS))
@settings(FUZZ, max_examples=examples(2))
@given(data=st.data())
def test_a_broken_batch_loads_nothing(base, how, data):
    batch = data.draw(fs.hostile_batch(how), label="batch")
    files = batch.submissions()
    with live_copy(base) as db:
        before, before_hash = snapshot(db), sha(db)
        checked = check(files, db)
        assert_well_formed(checked, files)
        assert not checked.ok, f"broken by {how}, yet checked clean"
        assert_refused(load(checked, db, files), db, before_hash, before)


# --- 4. one hostile cell ------------------------------------------------------------------------------

# Rules about other rows that one changed cell can cause: its key now repeats another row's.
ELSEWHERE = ("key.duplicate",)


@settings(FUZZ, max_examples=examples(32))
@given(mutation=fs.mutations())
# A kind that is not one (or empty) also said the hospital's loaded rows would break, naming no kind.
@example(mutation=fs.Mutation("institutions", 0, "kind", fs.Value("clinic", "invalid"), fs.Shape("csv", "i.csv")))
# Decimals that overflow to infinity once loaded as infinity.
@example(mutation=fs.Mutation("consultations", 0, "hours", fs.Value("1e400", "invalid"), fs.Shape("csv", "c.csv")))
@example(mutation=fs.Mutation("centre_usage", 1, "researcher_hours", fs.Value("9" * 400, "invalid"),
                              fs.Shape("xlsx", "c.xlsx")))
def test_one_hostile_cell_is_named_or_loads_as_the_contract_reads_it(base, mutation):
    submission = mutation.submission()
    sheet = mutation.table if mutation.shape.fmt == "xlsx" else ""
    row, column = mutation.spreadsheet_row, mutation.column
    STATS["cells"] += 1
    with live_copy(base) as db:
        before, before_hash = snapshot(db), sha(db)
        checked = check([submission], db)
        assert_well_formed(checked, [submission])
        found = checked.problems.to_dicts()
        at_cell = [p for p in found if (p["sheet"], p["row"]) == (sheet, row) and column in p["column"].split(", ")]
        for p in found:
            if p["rule"].startswith("file."):
                # The one file-level refusal a cell can cause: a NUL byte makes a CSV binary.
                assert mutation.shape.fmt == "csv" and "\0" in mutation.value.cell, p
            elif p["rule"].startswith("cell."):
                assert (p["sheet"], p["row"], p["column"]) == (sheet, row, column), p
            elif p["rule"] != "batch.references_skipped":
                assert p["row"] == row or p["rule"] in ELSEWHERE, p
        file_refused = any(p["rule"].startswith("file.") for p in found)
        if mutation.value.verdict == "invalid":
            assert at_cell or file_refused, f"not named: {found}"
        if mutation.value.verdict == "valid":
            assert not any(p["rule"].startswith("cell.") for p in found), found
        outcome = load(checked, db, [submission])
        event(f"{mutation.shape.fmt} {mutation.value.verdict} -> {outcome.outcome}")
        if not checked.ok:
            STATS["cells_named"] += 1
            assert_refused(outcome, db, before_hash, before)
            return
        STATS["cells_loaded"] += 1
        parsed = typed_rows(checked)[mutation.table]
        rows = checked.tables[mutation.table].get_column("_row")
        (changed,) = [r for r, n in zip(parsed, rows, strict=True) if n == row]
        if mutation.value.verdict == "valid":
            got, means = changed[column], mutation.value.means
            assert got == means or (isinstance(means, float) and math.isclose(got, means, rel_tol=1e-12)), (got, means)
        spec = schema.TABLES[mutation.table]
        for other in parsed:  # every other row reads exactly as it was loaded from the example
            if other is not changed:
                key = tuple(other[k] for k in spec.key)
                assert tuple(other[c] for c in spec.column_names) == before[mutation.table][key]
        assert_loaded_exactly(outcome, db, before_hash, before, {mutation.table: parsed})


# --- the figures ----------------------------------------------------------------------------------------


def test_fuzz_summary(capsys):
    """Runs last in this file: the figures for the note (and CI's artefact)."""
    if not STATS["batches"]:
        pytest.skip("no fuzz test ran")
    report = {
        "inputs": STATS["inputs"], "batches": STATS["batches"],
        "cells_mutated": STATS["cells"], "cells_named": STATS["cells_named"], "cells_loaded": STATS["cells_loaded"],
        "crashes": STATS["crashes"], "partial_loads": STATS["partial_loads"],
        "refused": STATS["refused"], "loaded": STATS["loaded"], "unchanged": STATS["unchanged"],
        "rules_seen": len(RULES), "megabytes": round(STATS["bytes"] / 2**20, 1),
        "seconds": round(time.perf_counter() - STARTED[0], 1) if STARTED else None,
    }
    with capsys.disabled():
        print("\nFUZZ", json.dumps(report))
    (ROOT / "test-results").mkdir(exist_ok=True)
    figures = {**report, "rules": dict(RULES.most_common())}
    (ROOT / "test-results" / "fuzz.json").write_text(json.dumps(figures, indent=1))
    assert report["crashes"] == 0 and report["partial_loads"] == 0
