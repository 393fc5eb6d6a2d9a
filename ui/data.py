"""Read-only access to the database for the pages, and the one cache of everything built from it.

Three memos, shared by every session of this server process (oversight/memo.py): query results,
page views, and what is drawn from a view (figures, display tables). Every key holds the data
version, so a swapped-in database starts afresh and no stale figure survives a load. Nothing in
them depends on who is looking: views take only the filters and page options, and roles decide
what is offered (exports, the Data page), not what a view holds. A view is built once in no
language and kept, and its localised form (oversight.views.localise) is kept per language. Bounded by count
and by size, since they live as long as the process (docs/recipes.md).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import Any

import polars as pl

from oversight import config, db, queries
from oversight.memo import Memo
from oversight.views.localise import localise

MB = 1 << 20
# A walk of every page for the default view and each of the 17 regions is about 150 views, 900
# query results and 1,000 figures and tables: room for that, and memory bounded at large scale
# (a query result is up to 1.5 MB there, most are a few KB).
_results = Memo(max_entries=4000, max_weight=400 * MB, weight=lambda frame: frame.estimated_size())
_views = Memo(max_entries=600, max_weight=400 * MB, weight=lambda entry: _view_size(entry[1]))
_drawn = Memo(max_entries=4000)  # figures and display tables, several per view


def clear() -> None:
    """Forget every result, view and drawing (the benchmark's cold runs; a load needs no call:
    the new data version misses every entry)."""
    for memo in (_results, _views, _drawn):
        memo.clear()


def _view_size(view: Any) -> int:
    panels = view if isinstance(view, tuple) else getattr(view, "panels", ())
    return sum(p.frame.estimated_size() for p in panels if hasattr(p, "frame"))


def database() -> db.ReadOnlyDatabase:
    return db.read_only(config.database_path())


class CachedRunner:
    """The queries.Runner the pages use: the same queries, run once per data version."""

    def __init__(self, database: db.ReadOnlyDatabase):
        self.database = database
        self.version = database.version().token

    def run(self, name: str, params: Mapping[str, Any]) -> pl.DataFrame:
        declared = queries.get(name).params
        bound = tuple(sorted((k, _hashable(params[k])) for k in declared if k in params))
        key = (str(self.database.path), self.version, name, bound)
        return _results.get(key, lambda: queries.DatabaseRunner(self.database).run(name, dict(params)))


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def runner() -> CachedRunner:
    return CachedRunner(database())


def dataset_info() -> dict:
    frame = runner().run("dataset_info", {})
    return frame.row(0, named=True) if frame.height else {}


def view(build: Callable[..., Any], filters, lang: str, *args: Any, **options: Any) -> Any:
    """`localise(build(runner, filters, *args, **options), lang)`: built once per data version and
    arguments for both languages (`built`), localised once per language (`localised`).

    Filters and selections are frozen dataclasses of tuples: two sessions asking for the same view
    get the same object."""
    return localised(built(build, filters, *args, **options), lang)


def built(build: Callable[..., Any], filters, *args: Any, **options: Any) -> Any:
    """`build(runner, filters, *args, **options)`, in no language, once per data version and arguments."""
    source = runner()
    key, pins = _key(str(source.database.path), source.version, build, filters, args, options)
    return _views.get(key, lambda: (pins, build(source, filters, *args, **options)))[1]


def localised(view: Any, lang: str) -> Any:
    """A built view in `lang`, once per view and language (None stays None: e.g. no such hospital)."""
    if view is None:
        return None
    key, pins = _key(localise, view, lang)
    return _views.get(key, lambda: (pins, localise(view, lang)))[1]


def drawn(draw: Callable[..., Any], subject: Any, *args: Any, **options: Any) -> Any:
    """`draw(subject, *args, **options)` (a figure, a map, a display table), drawn once.

    Subjects (panels, their frames) come from memoised views, so the same view hands out the same
    objects. What is drawn is shared by every session: nobody may change it afterwards."""
    key, pins = _key(draw, subject, args, options)
    return _drawn.get(key, lambda: (pins, draw(subject, *args, **options)))[1]


def _key(*parts: Any) -> tuple[tuple, list]:
    """A memo key of `parts`. An unhashable part (a panel holding a frame, a frame) stands for
    itself by identity, and is kept alive with the entry so that its id is not reused meanwhile."""
    pins: list = []

    def frozen(value: Any) -> Hashable:
        if isinstance(value, dict):
            return tuple(sorted((k, frozen(v)) for k, v in value.items()))
        if isinstance(value, (tuple, list)):
            return tuple(frozen(v) for v in value)
        try:
            hash(value)
        except TypeError:
            pins.append(value)
            return ("id", id(value))
        return value

    return frozen(parts), pins
