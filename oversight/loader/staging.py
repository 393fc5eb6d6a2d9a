"""The batch in DuckDB: rules across tables and files, what the batch would change, and applying it.

The batch's typed rows are staged in an in-memory DuckDB (`s_<table>`), beside the live
database attached read-only (`live`). `l_<table>` is the loaded table (with any column added to the contract since it was written, empty);
`m_<table>` is the table as it would be after the batch:
its rows, plus the loaded rows whose keys it does not replace. References are checked against
`m_`; loaded rows that refer to something the batch changes are checked again too, so a batch
cannot break what is already loaded (e.g. turn a hospital with agreements into a company).

Identifiers come from the contract (schema.py) and go through `ident()`; values are always
parameters.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from oversight import db as database
from oversight import queries, schema
from oversight.loader import problems
from oversight.loader.cells import DTYPES
from oversight.loader.rules import REFERENCE_PARAMS, REFERENCES, Reference

LOCATION = ("_file", "_sheet", "_row", "_order")
ASSESSMENT = ("institution_id", "assessed_on")  # what one DQD results file replaces whole


def no_assessments() -> pl.DataFrame:
    return pl.DataFrame(schema={"institution_id": pl.Utf8, "assessed_on": pl.Date})
_KNOWN = {*schema.TABLES, *(c.name for t in schema.TABLES.values() for c in t.columns), "batch_id", "batch_checks"}


def ident(name: str) -> str:
    """A contract table or column name, quoted; anything else is a programming error."""
    if name not in _KNOWN and not (name[:2] in ("s_", "m_", "l_") and name[2:] in schema.TABLES):
        raise ValueError(f"not an identifier of the contract: {name!r}")
    return queries.quote_identifier(name)


def _cols(names: Iterable[str], alias: str = "") -> str:
    prefix = alias + "." if alias else ""
    return ", ".join(prefix + ident(n) for n in names)


def _match(keys: Iterable[str], left: str, right: str) -> str:
    return " and ".join(f"{left}.{ident(k)} = {right}.{ident(k)}" for k in keys)


def _differs(columns: Iterable[str], left: str, right: str) -> str:
    return " or ".join(f"{left}.{ident(c)} is distinct from {right}.{ident(c)}" for c in columns)


@dataclass
class Change:
    rows: int
    new: int = 0
    changed: int = 0
    same: int = 0
    removed: int = 0  # loaded rows of a replaced assessment that the batch no longer holds

    def as_dict(self) -> dict:
        return {"rows": self.rows, "new": self.new, "changed": self.changed, "same": self.same, "removed": self.removed}


class Stage:
    """The staged batch beside the live database (read-only), in a private in-memory DuckDB."""

    def __init__(self, tables: dict[str, pl.DataFrame], live: Path | None, assessments: pl.DataFrame | None = None):
        self.tables = tables
        self.assessments = no_assessments() if assessments is None else assessments
        self.con = duckdb.connect(":memory:")
        self.con.execute("set enable_progress_bar = false")
        if live is not None and Path(live).exists():
            try:
                self.con.execute("attach ? as live (read_only)", [str(live)])
                versions = queries.execute(self.con, "live_contract_versions", {}).rows()
            except (duckdb.Error, queries.QueryError) as exc:
                self.con.close()
                raise database.DatabaseUnreadable(f"{live}: {exc}") from exc
            if any(v != schema.CONTRACT_VERSION for (v,) in versions):
                self.con.close()
                raise database.DatabaseUnreadable(
                    f"{live}: contract version {versions[0][0]}, the loader writes {schema.CONTRACT_VERSION}")
        else:
            self.con.execute("attach ':memory:' as live")
            for ddl in schema.schema_ddl():
                self.con.execute(ddl.replace("create table if not exists ", "create table if not exists live.", 1))
        for name in schema.LOAD_ORDER:
            spec = schema.TABLES[name]
            frame = tables.get(name)
            if frame is None:
                frame = pl.DataFrame(schema={**{c.name: _polars_type(c) for c in spec.columns},
                                             "_file": pl.Utf8, "_sheet": pl.Utf8, "_row": pl.Int64, "_order": pl.Int64})
            self.con.register("incoming", frame.select(*spec.column_names, *LOCATION).to_arrow())
            self.con.execute(
                "create table " + ident("s_" + name) + " as select "
                + ", ".join(f"cast({ident(c.name)} as {c.sql_type}) as {ident(c.name)}" for c in spec.columns)
                + ", _file, _sheet, _row, _order from incoming"
            )
            self.con.unregister("incoming")
            keys = spec.key
            self.con.execute(
                "create view " + ident("l_" + name) + " as select " + self._live_columns(spec)
                + ", l.batch_id from live." + ident(name) + " l"
            )
            self.con.execute(
                "create view " + ident("m_" + name) + " as select " + _cols(spec.column_names) + ", null as batch_id"
                + " from " + ident("s_" + name)
                + " union all select " + _cols(spec.column_names, "l") + ", l.batch_id from " + ident("l_" + name) + " l"
                + " where not exists (select 1 from " + ident("s_" + name) + " s where " + _match(keys, "s", "l") + ")"
            )

    def close(self) -> None:
        self.con.close()

    def _live_columns(self, spec: schema.Table) -> str:
        """The loaded table's columns; a column added to the contract after the file was
        written reads as empty (the write adds it, db.rebuild)."""
        present = set(queries.execute(self.con, "live_columns", {"table_name": spec.name})["column_name"])
        return ", ".join(
            ("l." + ident(c.name)) if c.name in present else f"null::{c.sql_type} as {ident(c.name)}"
            for c in spec.columns
        )

    def duplicates(self) -> pl.DataFrame:
        found = []
        for name in schema.LOAD_ORDER:
            keys = schema.TABLES[name].key
            frame = self.con.sql(
                "select _file, _sheet, _row, _order, concat_ws(' / ', " + _cols(keys) + ") as _value,"
                " first_file, first_sheet, first_row from ("
                " select *, row_number() over w as n,"
                " first_value(_file) over w as first_file, first_value(_sheet) over w as first_sheet,"
                " first_value(_row) over w as first_row"
                " from " + ident("s_" + name)
                + " where " + " and ".join(ident(k) + " is not null" for k in keys)
                + " window w as (partition by " + _cols(keys) + " order by _order, _sheet, _row))"
                " where n > 1"
            ).pl()
            if frame.height:
                found.append(problems.cells(
                    frame, "key.duplicate", ", ".join(keys), "_value",
                    {"first_file": pl.col("first_file"), "first_sheet": pl.col("first_sheet"),
                     "first_row": pl.col("first_row")},
                ))
        return problems.combine(found)

    def references(self) -> pl.DataFrame:
        return problems.combine(self._reference(ref) for ref in REFERENCES)

    def _reference(self, ref: Reference) -> pl.DataFrame:
        parent = schema.TABLES[ref.parent]
        present = " and ".join(f"c.{ident(c)} is not null" for c in ref.columns)
        join = " and ".join(f"c.{ident(c)} = p.{ident(k)}" for c, k in zip(ref.columns, ref.keys, strict=True))
        failing = _failing(ref, parent)
        decided = ("p." + ident(ref.decided_by) + "::varchar") if ref.decided_by in parent.column_names else "null"
        sql = (
            "select c._file, c._sheet, c._row, c._order, concat_ws(' / ', " + _cols(ref.columns, "c") + ") as _value,"
            " p." + ident(ref.keys[0]) + " is null as _missing, " + decided + " as _decided"
            " from " + ident("s_" + ref.child) + " c left join " + ident("m_" + ref.parent) + " p on " + join
            + " where " + present
            + (" and " + ref.only_if if ref.only_if else "")
            + " and (p." + ident(ref.keys[0]) + " is null or " + failing + ")"
            + " order by c._order, c._sheet, c._row"
        )
        frame = self.con.sql(sql, params=self._params(sql)).pl()
        column = ", ".join(ref.columns)
        found = [problems.cells(frame.filter(pl.col("_missing")), ref.missing, column, "_value", {"table": ref.parent})]
        if ref.failing:
            found.append(problems.cells(frame.filter(~pl.col("_missing")), ref.failing, column, "_value",
                                        {"kind": pl.col("_decided").fill_null("")}))
            found.append(self._loaded_rows_broken(ref, failing))
        return problems.combine(found)

    def _loaded_rows_broken(self, ref: Reference, failing: str) -> pl.DataFrame:
        """Loaded rows can only break through a parent row that the batch replaces: the problem
        is that batch row, and it names how many loaded rows it would break, with examples."""
        child = schema.TABLES[ref.child]
        on = " and ".join(f"l.{ident(c)} = p.{ident(k)}" for c, k in zip(ref.columns, ref.keys, strict=True))
        sql = (
            "select p._file, p._sheet, p._row, p._order, p." + ident(ref.decided_by) + "::varchar as _value,"
            " count(*) as _count,"
            " array_to_string(list_slice(list(concat_ws(' / ', " + _cols(child.key, "l") + ") || ' (' || l.batch_id || ')'"
            " order by " + _cols(child.key, "l") + "), 1, 3), ', ') as _examples"
            " from " + ident("l_" + ref.child) + " l join " + ident("s_" + ref.parent) + " p on " + on
            + " where " + failing
            + " and not exists (select 1 from " + ident("s_" + ref.child) + " s where " + _match(child.key, "s", "l") + ")"
            " group by all order by p._order, p._sheet, p._row"
        )
        frame = self.con.sql(sql, params=self._params(sql)).pl()
        return problems.cells(
            frame, "ref.loaded_rows", ref.decided_by, "_value",
            {"table": ref.child, "count": pl.col("_count"), "examples": pl.col("_examples"),
             "rule": ref.failing, "kind": pl.col("_value").fill_null("")},
        )

    @staticmethod
    def _params(sql: str) -> dict:
        return {k: v for k, v in REFERENCE_PARAMS.items() if "$" + k in sql}

    def changes(self) -> dict[str, Change]:
        """Per table: rows in the batch, new keys, keys whose row differs, rows already loaded as they are."""
        result = {}
        for name in schema.LOAD_ORDER:
            frame = self.tables.get(name)
            if frame is None or frame.height == 0:
                continue
            spec = schema.TABLES[name]
            other = [c for c in spec.column_names if c not in spec.key]
            differs = _differs(other, "s", "l") if other else "false"
            new, changed, same = self.con.sql(
                "select count(*) filter (where l." + ident(spec.key[0]) + " is null),"
                " count(*) filter (where l." + ident(spec.key[0]) + " is not null and (" + differs + ")),"
                " count(*) filter (where l." + ident(spec.key[0]) + " is not null and not (" + differs + "))"
                " from " + ident("s_" + name) + " s left join " + ident("l_" + name) + " l on " + _match(spec.key, "s", "l")
            ).fetchall()[0]
            result[name] = Change(frame.height, new, changed, same)
        if self.assessments.height:
            result["quality_checks"].removed = _count_removed(self.con, "l_quality_checks", "s_quality_checks", self.assessments)
        return result


def _failing(ref: Reference, parent: schema.Table) -> str:
    """SQL: the parent row `p` fails the reference's condition. A missing value of a required
    column decides nothing: its cell is already a problem (an optional one, like
    safe_centre_since, missing is an answer)."""
    if not ref.condition:
        return "false"
    decided = parent.column(ref.decided_by) if ref.decided_by in parent.column_names else None
    if decided is not None and decided.required:
        return f"(p.{ident(ref.decided_by)} is not null and not coalesce({ref.condition}, false))"
    return f"not coalesce({ref.condition}, false)"


def _polars_type(column: schema.Column):
    return DTYPES[column.type]


_REPLACED = (
    "from {loaded} l join whole w on l.institution_id = w.institution_id and l.assessed_on = w.assessed_on"
    " where not exists (select 1 from {batch} b where b.institution_id = l.institution_id"
    " and b.assessed_on = l.assessed_on and b.check_id = l.check_id)"
)


def _count_removed(con: duckdb.DuckDBPyConnection, loaded: str, batch: str, assessments: pl.DataFrame) -> int:
    con.register("whole", assessments.to_arrow())
    try:
        return con.execute("select count(*) " + _REPLACED.format(loaded=ident(loaded), batch=ident(batch))).fetchall()[0][0]
    finally:
        con.unregister("whole")


def apply(con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame], batch_id: str,
          assessments: pl.DataFrame | None = None) -> dict[str, Change]:
    """Write the batch into a database being rebuilt: rows with a new key are added, rows whose
    key is loaded and whose values differ replace it; rows already loaded as they are stay
    untouched (and keep the batch that first wrote them). An assessment given whole (DQD
    results) loses the loaded checks it no longer holds."""
    removed = 0
    if assessments is not None and assessments.height:
        con.register("batch_checks", tables["quality_checks"].select("institution_id", "assessed_on", "check_id").to_arrow())
        con.register("whole", assessments.to_arrow())
        try:
            removed = con.execute(
                "delete from quality_checks where rowid in (select l.rowid "
                + _REPLACED.format(loaded=ident("quality_checks"), batch=ident("batch_checks")) + ")"
            ).fetchall()[0][0]
        finally:
            con.unregister("whole")
            con.unregister("batch_checks")
    result = {}
    for name in schema.LOAD_ORDER:
        frame = tables.get(name)
        if frame is None or frame.height == 0:
            continue
        spec = schema.TABLES[name]
        other = [c for c in spec.column_names if c not in spec.key]
        con.register("incoming", frame.select(spec.column_names).to_arrow())
        try:
            con.execute(
                "create or replace temp table changed as select "
                + ", ".join(f"cast(i.{ident(c.name)} as {c.sql_type}) as {ident(c.name)}" for c in spec.columns)
                + ", l." + ident(spec.key[0]) + " is not null as _replaces"
                " from incoming i left join " + ident(name) + " l on " + _match(spec.key, "i", "l")
                + " where l." + ident(spec.key[0]) + " is null"
                + ((" or " + _differs(other, "i", "l")) if other else "")
            )
        finally:
            con.unregister("incoming")
        con.execute(
            "delete from " + ident(name) + " t using changed c where c._replaces and " + _match(spec.key, "t", "c")
        )
        con.execute(
            "insert into " + ident(name) + " (" + _cols(spec.column_names) + ", batch_id)"
            " select " + _cols(spec.column_names) + ", $batch from changed",
            {"batch": batch_id},
        )
        new, changed = queries.execute(con, "changed_counts", {}).row(0)
        result[name] = Change(frame.height, new, changed, frame.height - new - changed)
        con.execute("drop table changed")
    if removed:
        result["quality_checks"].removed = removed
    return result


def record_batch(con: duckdb.DuckDBPyConnection, *, batch_id: str, loaded_at, loaded_by: str, files: list[dict],
                 changes: dict[str, Change], message: str) -> None:
    queries.execute(con, "record_batch", {
        "batch_id": batch_id, "loaded_at": loaded_at, "loaded_by": loaded_by, "source": "import",
        "files": json.dumps(files, ensure_ascii=False),
        "rows_per_table": json.dumps({t: c.rows for t, c in changes.items()}),
        "message": message,
    })


def describe_dataset(con: duckdb.DuckDBPyConnection, data_date, built_at) -> str:
    """Rewrite dataset_info after a load: 'submitted' once no demo row is left, 'mixed' while
    demo rows and submitted rows sit side by side (the banner then says so)."""
    previous = queries.execute(con, "previous_dataset_info", {}).rows()
    demo_left = any(
        con.execute(
            "select exists (select 1 from " + ident(name) + " where batch_id in"
            " (select batch_id from batches where source = 'demo'))"
        ).fetchone()[0]
        for name in schema.LOAD_ORDER
    )
    kind = "mixed" if demo_left else "submitted"
    seed, scale, old_date = (previous[0][1], previous[0][2], previous[0][3]) if previous else (None, None, None)
    if data_date is None:
        data_date = max(d for d in (old_date, built_at.date()) if d is not None)
    queries.execute(con, "clear_dataset_info", {})
    queries.execute(con, "record_dataset_info", {
        "kind": kind, "seed": seed if demo_left else None, "scale": scale if demo_left else None,
        "built_at": built_at, "data_date": data_date, "contract_version": schema.CONTRACT_VERSION,
    })
    return kind
