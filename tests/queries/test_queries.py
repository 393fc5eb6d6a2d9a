"""The query registry: headers, parameters, and every query running on the fixture."""

import datetime as dt

import polars as pl
import pytest

from conftest import YEAR_2025
from oversight import queries

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
    "centre_ids": [],
    "topics": [],
    "agreement_statuses": [],
    "party_id": "",
    "agreement_order": "newest",
    "capital_area": ["11", "28", "41"],
}

ALL = sorted(queries.registry())


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
        if not query.columns:
            problems.append(f"{name}: declare the columns")
        if set(query.params) != query.used_params():
            problems.append(f"{name}: declares {sorted(query.params)}, uses {sorted(query.used_params())}")
    assert not problems, "\n".join(problems)


def test_every_query_runs_on_the_fixture_and_returns_its_declared_columns_and_types(runner):
    problems = []
    for name in ALL:
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

def test_overview_kpis_for_2025(runner):
    row = runner.run("overview_kpis", YEAR_2025.params()).row(0, named=True)
    assert row == {
        "institutions": 7,  # all seven joined by 2025-12-31
        "hospitals_with_agreements": 3,  # A1 (H1, H2), A2 (H1), A3 (H3)
        "agreements_signed": 2,  # A2, A3
        "requests_delivered": 2,  # R2 (lead 50 days), R3 (lead 110 days)
        "median_lead_days": 80.0,
        "quality_passed": 8,  # H1 latest (2025-12-31): 3 passed 1 failed; H2: 5 passed
        "quality_failed": 1,
        "quality_score": pytest.approx(8 / 9),
    }


def test_overview_kpis_for_the_previous_period(runner):
    row = runner.run("overview_kpis", YEAR_2025.previous().params()).row(0, named=True)
    assert YEAR_2025.previous().date_from == dt.date(2024, 1, 2)
    assert (row["institutions"], row["hospitals_with_agreements"], row["agreements_signed"]) == (4, 2, 1)
    assert (row["requests_delivered"], row["median_lead_days"]) == (1, 30.0)
    assert row["quality_score"] is None  # no assessment before 2025


def test_overview_kpis_for_seoul(runner):
    params = YEAR_2025.params() | {"regions": ["11"]}
    row = runner.run("overview_kpis", params).row(0, named=True)
    assert (row["institutions"], row["hospitals_with_agreements"], row["agreements_signed"]) == (2, 1, 1)
    assert (row["requests_delivered"], row["median_lead_days"]) == (1, 110.0)
    assert row["quality_score"] == pytest.approx(3 / 4)


def test_overview_kpis_for_company_requesters_in_oncology(runner):
    params = YEAR_2025.params() | {"kinds": ["company"], "areas": ["oncology"]}
    row = runner.run("overview_kpis", params).row(0, named=True)
    assert row["institutions"] == 2  # C1, C2 (areas do not filter institutions)
    assert row["agreements_signed"] == 0  # A1 is oncology but signed in 2024
    assert row["hospitals_with_agreements"] == 2  # A1's H1 and H2
    assert row["requests_delivered"] == 1  # R2 under A1


def test_quality_alerts_below_90_percent(runner):
    frame = runner.run("quality_alerts", YEAR_2025.params() | {"threshold": 0.9})
    assert frame.select("institution_id", "passed", "failed", "score", "previous_score").rows() == [
        ("H1", 3, 1, 0.75, 0.5)
    ]


def test_waiting_requests_over_30_days_at_year_end(runner):
    frame = runner.run("waiting_requests", YEAR_2025.params() | {"min_days": 30})
    assert frame.select("request_id", "stage", "days_waiting").rows() == [("R4", "under_review", 60)]


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
    for name in ALL:
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
