"""Cached, read-only access to the database for the pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
import streamlit as st

from oversight import config, db, queries

# Cache results per data version: a swapped-in database has a new token, so no stale figure
# survives a load. Bounded, since st.cache_data is shared by all sessions (docs/recipes.md).
CACHE_TTL_SECONDS = 3600
CACHE_MAX_ENTRIES = 300  # by count, not size: the largest results are about 1.5 MB


def database() -> db.ReadOnlyDatabase:
    return db.read_only(config.database_path())


@st.cache_data(ttl=CACHE_TTL_SECONDS, max_entries=CACHE_MAX_ENTRIES, show_spinner=False)
def _run_cached(path: str, version: str, name: str, params: tuple) -> pl.DataFrame:
    return queries.DatabaseRunner(db.read_only(path)).run(name, dict(params))


class CachedRunner:
    """The queries.Runner the pages use: the same queries, cached per data version."""

    def __init__(self, database: db.ReadOnlyDatabase):
        self.database = database
        self.version = database.version().token

    def run(self, name: str, params: Mapping[str, Any]) -> pl.DataFrame:
        declared = queries.get(name).params
        bound = tuple(sorted((k, _hashable(params[k])) for k in declared if k in params))
        return _run_cached(str(self.database.path), self.version, name, bound)


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def runner() -> CachedRunner:
    return CachedRunner(database())


def dataset_info() -> dict:
    frame = runner().run("dataset_info", {})
    return frame.row(0, named=True) if frame.height else {}
