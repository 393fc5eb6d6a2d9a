"""The query registry: headers, parameters, and every query running on the fixture."""

import datetime as dt
import json

import polars as pl
import pytest
from conftest import YEAR_2025

from oversight import queries
from oversight.filters import Filters
from oversight.config import QUERIES_DIR

# A value for every parameter name a query may declare (extend when a query adds one).
SAMPLE_PARAMS = YEAR_2025.params() | {
    "threshold": 0.9,
    "min_days": 30,
    "institution_id": "H1",
    "agreement_id": "A1",
    "hospital_id": "H1",
    "centre_id": "H1",
    "top_n": 10,
    "search": "",
    "assessed_on": dt.date(2025, 12, 31),
    "previous_assessed_on": dt.date(2025, 6, 30),
    "as_of": dt.date(2025, 12, 31),
    "region_code": "11",
    "metric": "institutions",
    "data_types": [],
    "access_modes": [],
    "hospital_ids": ["H1"],
    "dimension": "data_type",
    "min_deliveries": 1,
    "fastest": False,
    "age_band": "",
    "row_limit": 100,
    "table_name": "institutions",
    "centre_ids": [],
    "topics": [],
    "agreement_statuses": [],
    "party_id": "",
    "agreement_order": "newest",
    "capital_area": ["11", "28", "41"],
}

ALL = sorted(queries.registry())
READERS = [name for name in ALL if not queries.get(name).writes and not queries.get(name).staged]
WRITERS = [name for name in ALL if queries.get(name).writes]


def test_there_are_queries():
    assert len(ALL) >= 10


# The polars type of each column type a header may declare.
DECLARED_TYPES = {
    "bigint": pl.Int64, "integer": pl.Int32, "double": pl.Float64, "varchar": pl.String, "date": pl.Date,
    "timestamp": pl.Datetime("us"), "boolean": pl.Boolean, "varchar[]": pl.List(pl.String),
}


def test_every_header_declares_what_it_answers_its_columns_and_exactly_the_parameters_it_uses():
    problems = []
    for name in ALL:
        query = queries.get(name)
        if len(query.answers) <= 20:
            problems.append(f"{name}: say what the query answers")
        if not query.columns and not query.writes:
            problems.append(f"{name}: declare the columns (or, for a writer, the table it writes)")
        if query.writes and query.columns:
            problems.append(f"{name}: a writer returns no columns")
        if set(query.params) != query.used_params():
            problems.append(f"{name}: declares {sorted(query.params)}, uses {sorted(query.used_params())}")
    assert not problems, "\n".join(problems)


def test_every_query_runs_on_the_fixture_and_returns_its_declared_columns_and_types(runner):
    problems = []
    for name in READERS:
        query = queries.get(name)
        missing = set(query.params) - set(SAMPLE_PARAMS)
        if missing:
            problems.append(f"{name}: add sample values for {sorted(missing)} to SAMPLE_PARAMS")
            continue
        frame = runner.run(name, SAMPLE_PARAMS)
        if frame.columns != list(query.columns):
            problems.append(f"{name}: returns {frame.columns}, declares {list(query.columns)}")
            continue
        for column, declared in query.columns.items():
            wanted = DECLARED_TYPES.get(declared)
            if wanted is None:
                problems.append(f"{name}.{column}: unknown declared type {declared!r}")
            elif frame.schema[column] != wanted:
                problems.append(f"{name}.{column}: declared {declared}, returns {frame.schema[column]}")
    assert not problems, "\n".join(problems)


def test_a_missing_parameter_is_an_error(runner):
    with pytest.raises(queries.QueryError, match="needs parameters"):
        runner.run("overview_kpis", {"date_from": dt.date(2025, 1, 1)})


def test_filter_values_that_look_like_sql_are_only_values(runner):
    hostile = YEAR_2025.params() | {"regions": ["11') or 1=1 --"], "areas": ["'; drop table agreements; --"]}
    row = runner.run("overview_kpis", hostile).row(0, named=True)
    assert row["institutions"] == 0 and row["agreements_signed"] == 0
    assert runner.run("overview_kpis", YEAR_2025.params()).row(0, named=True)["agreements_signed"] == 2


# Known answers, computed by hand from tests/fixture.py ----------------------------------------

# Known answers sit beside each query: queries/NAME.answers.json, a list of cases (why, the
# fixture rows the answer rests on, period, parameters over the period's, and the expected rows,
# each giving only the columns it checks; dates as ISO text).
PERIODS = {
    "2025": YEAR_2025,
    "2025-previous": YEAR_2025.previous(),
    "2026-h1": Filters(dt.date(2026, 1, 1), dt.date(2026, 6, 30)),  # centre use and consultations
    "2024-2026": Filters(dt.date(2024, 1, 1), dt.date(2026, 12, 31)),  # every fixture row at once
}
CASE_KEYS = {"case", "given", "period", "params", "rows"}


def _matches(expected: object, got: object) -> bool:
    if isinstance(expected, float) and isinstance(got, float):
        return got == pytest.approx(expected)
    if isinstance(expected, str) and isinstance(got, dt.date):
        return expected == got.isoformat()
    return expected == got


def _answer_files() -> dict[str, list[dict]]:
    return {path.name.removesuffix(".answers.json"): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted(QUERIES_DIR.glob("*.answers.json"))}


def test_every_query_gives_its_known_answers_on_the_fixture(runner):
    answers = _answer_files()
    assert answers, "no known answers found"
    mismatches = []
    for name, cases in answers.items():
        for case in cases:
            if set(case) != CASE_KEYS or not case["given"]:
                mismatches.append(f"{name}: a case has keys {sorted(case)}, needs {sorted(CASE_KEYS)} with rows given")
                continue
            rows = runner.run(name, PERIODS[case["period"]].params() | case["params"]).rows(named=True)
            wanted = case["rows"]
            if len(rows) != len(wanted):
                mismatches.append(f"{name} ({case['case']}): {len(rows)} rows, expected {len(wanted)}")
                continue
            for i, (row, expected) in enumerate(zip(rows, wanted)):
                for column, value in expected.items():
                    if column not in row:  # else an expected null would match a misspelt column
                        mismatches.append(f"{name} ({case['case']}) row {i}: no column {column!r}")
                    elif not _matches(value, row[column]):
                        mismatches.append(
                            f"{name} ({case['case']}) row {i} {column}: {row.get(column)!r}, expected {value!r}")
    assert not mismatches, "\n".join(mismatches)



def test_every_scope_is_read_by_a_query_with_known_answers():
    """So a reader sees on hand-computed rows what each shared filter means for each fact."""
    answered = " ".join(queries.get(name).sql for name in _answer_files())
    unanswered = [scope for scope in queries.scope_macros() if f"{scope}(" not in answered]
    assert not unanswered, f"no query with known answers reads {unanswered}"

def test_cumulative_agreements_reach_the_period_total(runner):
    frame = runner.run("agreements_by_month", YEAR_2025.params())
    last = frame.filter(frame["month"] == frame["month"].max())
    assert last["cumulative"].sum() == 3  # A1, A2, A3 signed by 2025-12-31


def test_institutions_by_month_sums_to_the_kpi(runner):
    frame = runner.run("institutions_by_month", YEAR_2025.params())
    assert frame["joined"].sum() == 7


SQL_LOOKING = ["x' or '1'='1", "'; drop table agreements; --", "\" or 1=1 --", "$date_from", "%' union select 1 --"]


def test_sql_in_any_text_parameter_is_only_a_value(runner):
    """Every text and list parameter of every query, filled with SQL: each query still runs, and
    the database is unchanged (it is read-only anyway, but nothing must even be tried)."""
    failed = []
    for name in READERS:  # the writers are tried on a copy, below
        params = dict(SAMPLE_PARAMS)
        for param, type_ in queries.get(name).params.items():
            if type_ == "varchar[]":
                params[param] = SQL_LOOKING
            elif type_ == "varchar":
                params[param] = SQL_LOOKING[0]
        try:
            runner.run(name, params)
        except queries.QueryError as exc:
            failed.append(f"{name}: {exc}")
    assert not failed, "\n".join(failed)
    assert runner.run("overview_kpis", YEAR_2025.params()).row(0, named=True)["agreements_signed"] == 2


def test_the_writers_write_what_the_readers_read_back(fixture_db, tmp_path):
    """The loader's and the demo's fixed writes, through the one executor, on a copy of the fixture."""
    import shutil

    import duckdb

    path = shutil.copy(fixture_db, tmp_path / "copy.duckdb")
    con = duckdb.connect(str(path))
    try:
        at = dt.datetime(2026, 7, 1, 9, 30)
        queries.execute(con, "record_batch", {
            "batch_id": "b-2", "loaded_at": at, "loaded_by": "tester", "source": "import",
            "files": "[]", "rows_per_table": '{"institutions": 1}', "message": "one new"})
        queries.execute(con, "clear_dataset_info", {})
        assert queries.execute(con, "previous_dataset_info", {}).height == 0
        queries.execute(con, "record_dataset_info", {
            "kind": "submitted", "seed": None, "scale": None, "built_at": at, "data_date": dt.date(2026, 6, 30),
            "contract_version": 3})
        assert queries.execute(con, "previous_dataset_info", {}).rows() == [("submitted", None, None,
                                                                            dt.date(2026, 6, 30))]
        batch = con.execute("select batch_id, loaded_at, source, outcome, message from batches "
                            "where batch_id = 'b-2'").fetchall()
        assert batch == [("b-2", at, "import", "loaded", "one new")]
        assert queries.execute(con, "dataset_info", {})["batches"].to_list() == [2]
    finally:
        con.close()
    assert set(WRITERS) >= {"record_batch", "clear_dataset_info", "record_dataset_info", "demo_quality_checks"}


def test_the_consultation_topics_macro_lists_the_contract_topics_in_order(runner):
    """queries/macros/shared.sql writes the topics once for SQL; the contract (schema.py) for the loader."""
    from oversight import schema

    cursor = runner.database.cursor()
    try:
        rows = cursor.execute("select topic, topic_order from consultation_topics() order by topic_order").fetchall()
    finally:
        cursor.close()
    assert rows == [(topic, i) for i, topic in enumerate(schema.CONSULTATION_TOPICS, start=1)]
