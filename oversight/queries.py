"""The one way to run a query: named SQL files in queries/, values as DuckDB parameters.

Each file opens with a header:

    -- agreements_by_month: agreements signed each month, and the running total
    -- params: $date_from date, $date_to date, $regions varchar[]
    -- columns: month date, signed bigint, cumulative bigint

`run(name, params)` passes exactly the parameters the header declares, taken from `params`
(which may carry more, e.g. a whole filter set), and returns a polars DataFrame.

A statement that writes says so instead of its columns, and returns nothing:

    -- record_batch: a loaded batch, for the history
    -- params: $batch_id varchar, ...
    -- writes: batches

A statement that reads a temporary table its caller stages says `-- staged: TABLE`: it runs only
beside that caller (the loader's and the demo's tests run it), not on a database file.

Readers and writers alike go through `execute`: the loader and the demo generator write their
fixed statements from here too. Only statements whose table or columns vary (a statement per
contract table, oversight/loader/staging.py) are composed in Python, and their identifiers go
through `quote_identifier`, the one quoting function.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import duckdb
import polars as pl

from oversight.config import MACROS_DIR, QUERIES_DIR

_HEADER = re.compile(r"^--\s*(?P<name>[a-z0-9_]+):\s*(?P<answers>.+)$")
_FIELD = re.compile(r"^--\s*(?P<field>params|columns|writes|staged):\s*(?P<value>.*)$")
_PARAM_USE = re.compile(r"(?<![$\w])\$([a-z_][a-z0-9_]*)")


class QueryError(RuntimeError):
    pass


@dataclass(frozen=True)
class Query:
    name: str
    answers: str
    params: dict[str, str]  # name -> declared type
    columns: dict[str, str]
    sql: str
    path: Path
    writes: str = ""  # the table a writing statement changes; "" for a reader
    staged: str = ""  # the temporary table of its caller it reads (the loader's, the demo's): not in a database file

    def used_params(self) -> set[str]:
        body = "\n".join(line.split("--", 1)[0] for line in self.sql.splitlines())
        return set(_PARAM_USE.findall(body))


def _parse_pairs(text: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, type_ = item.partition(" ")
        pairs[name.lstrip("$")] = type_.strip()
    return pairs


def parse_query(path: Path) -> Query:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    head = _HEADER.match(lines[0]) if lines else None
    if not head or head["name"] != path.stem:
        raise QueryError(f"{path.name}: the first line must be '-- {path.stem}: what it answers'")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        match = _FIELD.match(line)
        if not match:
            break
        fields[match["field"]] = match["value"]
    if "columns" not in fields and "writes" not in fields:
        raise QueryError(f"{path.name}: the header needs a '-- columns:' (or, for a writer, '-- writes:') line")
    return Query(
        name=head["name"],
        answers=head["answers"].strip(),
        params=_parse_pairs(fields.get("params", "")),
        columns=_parse_pairs(fields.get("columns", "")),
        sql=text,
        path=path,
        writes=fields.get("writes", "").strip(),
        staged=fields.get("staged", "").strip(),
    )


@cache
def registry(directory: Path = QUERIES_DIR) -> dict[str, Query]:
    return {q.name: q for q in map(parse_query, sorted(Path(directory).glob("*.sql")))}


_SCOPE_MACRO = re.compile(r"create macro memory\.main\.(\w+)\(.*?\) as table\s+(.*?);", re.DOTALL | re.IGNORECASE)


@cache
def scope_macros(directory: Path = MACROS_DIR) -> dict[str, str]:
    """The scope table macros of queries/macros/ (created by oversight.db): name -> body."""
    return {m[1]: m[2] for path in sorted(Path(directory).glob("*.sql"))
            for m in _SCOPE_MACRO.finditer(path.read_text(encoding="utf-8"))}


def with_scopes(sql: str) -> str:
    """A query's SQL followed by the bodies of the scopes it calls: what it really reads."""
    return "\n".join([sql, *(body for name, body in scope_macros().items() if f"{name}(" in sql)])


def get(name: str) -> Query:
    try:
        return registry()[name]
    except KeyError:
        raise QueryError(f"no query named {name!r} in {QUERIES_DIR}") from None


def bind(query: Query, params: Mapping[str, Any]) -> dict[str, Any]:
    missing = [p for p in query.params if p not in params]
    if missing:
        raise QueryError(f"query {query.name} needs parameters {missing}")
    return {p: _to_duckdb(params[p]) for p in query.params}


def quote_identifier(name: str) -> str:
    """The one way an identifier reaches SQL text; values always go as parameters."""
    return '"' + name.replace('"', '""') + '"'


def _to_duckdb(value: Any) -> Any:
    return list(value) if isinstance(value, (tuple, frozenset, set)) else value


def execute(cursor: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any], arrow: bool = False):
    """Run a named statement: a polars frame (an Arrow table with `arrow`, DuckDB's own output, which the
    benchmark times); a writer returns an empty frame."""
    query = get(name)
    try:
        if query.writes:
            cursor.execute(query.sql, bind(query, params))
            return pl.DataFrame()
        result = cursor.sql(query.sql, params=bind(query, params))
        return result.to_arrow_table() if arrow else result.pl()
    except duckdb.Error as exc:
        raise QueryError(f"query {name} failed: {exc}") from exc


class Runner(Protocol):
    """What views need: run a named query with parameters. The UI adds caching around it."""

    def run(self, name: str, params: Mapping[str, Any]) -> pl.DataFrame: ...


class DatabaseRunner:
    """Runs queries against a read-only database (command line, reports, tests)."""

    def __init__(self, database):
        self.database = database

    def run(self, name: str, params: Mapping[str, Any]) -> pl.DataFrame:
        cursor = self.database.cursor()
        try:
            return execute(cursor, name, params)
        finally:
            cursor.close()
