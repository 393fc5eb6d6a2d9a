"""What the Data page and the command line show about a batch, ready to display."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from oversight import queries
from oversight.i18n import t
from oversight.loader import history
from oversight.loader.staging import Change

CHANGE_COLUMNS = ("table", "rows", "new", "changed", "same", "removed")


def change_lines(changes: dict[str, Change], lang: str) -> list[str]:
    lines = []
    for table, c in changes.items():
        lines.append(t("loader.changes.line", lang, table=table, rows=f"{c.rows:,}", new=f"{c.new:,}",
                       changed=f"{c.changed:,}", same=f"{c.same:,}"))
        if c.removed:
            lines.append(t("loader.changes.removed_line", lang, table=table, removed=f"{c.removed:,}"))
    return lines


def changes_frame(changes: dict[str, Change], lang: str) -> pl.DataFrame:
    """Per table: rows in the batch, new keys, rows that replace loaded ones, rows loaded as they
    are, loaded rows of a reloaded assessment that it no longer holds."""
    frame = pl.DataFrame(
        [{"table": table, **{k: v for k, v in c.as_dict().items()}} for table, c in changes.items()],
        schema={"table": pl.Utf8, **dict.fromkeys(CHANGE_COLUMNS[1:], pl.Int64)},
    )
    return frame.rename({c: t(f"loader.changes.{c}", lang) for c in CHANGE_COLUMNS})


def files_frame(files, lang: str) -> pl.DataFrame:
    frame = pl.DataFrame(
        [{"name": f.name, "tables": " · ".join(f"{k} {v:,}" for k, v in f.tables.items()) or "–",
          "bytes": f.size, "sha256": f.sha256} for f in files],
        schema={"name": pl.Utf8, "tables": pl.Utf8, "bytes": pl.Int64, "sha256": pl.Utf8},
    )
    return frame.rename({c: t(f"loader.files.{c}", lang) for c in frame.columns})


def tables_frame(runner: queries.Runner, lang: str) -> pl.DataFrame:
    """What the database holds now: rows per table, from how many batches, the latest one."""
    frame = runner.run("table_rows", {}).drop("position")
    return frame.rename({c: t(f"loader.contents.{c}", lang) for c in frame.columns})


def history_frame(runner: queries.Runner, db_path: Path, lang: str) -> pl.DataFrame:
    return history.display(history.combined(runner.run("batch_history", {}), db_path), lang)
