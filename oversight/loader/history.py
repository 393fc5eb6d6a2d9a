"""The batch history: loaded batches in the database, every attempt in a log beside it.

A loaded batch is recorded in the `batches` table inside the same swap as its rows, so the
history of what is loaded can never disagree with the data. A refused batch and an unchanged
one change nothing, and must not: the database stays byte for byte as it was (writing one
history row would mean copying and swapping the whole file). They go to an append-only JSON
Lines log beside the database (`<db>.history.jsonl`), with the loaded ones too, so the log
alone is a complete record of every attempt. The page shows the two together.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from oversight.i18n import t

SEOUL = ZoneInfo("Asia/Seoul")
OUTCOMES = ("loaded", "unchanged", "refused")
COLUMNS = ("loaded_at", "outcome", "loaded_by", "batch_id", "files", "rows", "message")


def log_path(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".history.jsonl")


def append(db_path: Path, record: dict) -> None:
    line = (json.dumps(record, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    fd = os.open(log_path(db_path), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)  # one write of one line with O_APPEND: lines never interleave
    finally:
        os.close(fd)


def read_log(db_path: Path) -> list[dict]:
    path = log_path(db_path)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a full disk; the others still count
    return records


def combined(loaded: pl.DataFrame, db_path: Path) -> pl.DataFrame:
    """Batches from the database (`batch_history` query) and the attempts in the log that the
    database does not hold, newest first, one row per batch."""
    rows = [
        {
            "batch_id": r["batch_id"], "loaded_at": r["loaded_at"], "loaded_by": r["loaded_by"],
            "source": r["source"], "files": _files(r["files"]), "rows_per_table": _rows(r["rows_per_table"]),
            "outcome": r["outcome"], "message": r["message"] or "",
        }
        for r in loaded.iter_rows(named=True)
    ]
    known = {r["batch_id"] for r in rows}
    for record in read_log(db_path):
        if record.get("batch_id") in known or record.get("outcome") == "loaded":
            continue  # a loaded batch whose swap never happened (killed) is not history
        rows.append({
            "batch_id": record.get("batch_id", ""),
            "loaded_at": dt.datetime.fromisoformat(record["loaded_at"]),
            "loaded_by": record.get("loaded_by", ""),
            "source": record.get("source", "import"),
            "files": record.get("files", []),
            "rows_per_table": record.get("rows_per_table", {}),
            "outcome": record.get("outcome", ""),
            "message": record.get("message", ""),
        })
        known.add(record.get("batch_id"))
    rows.sort(key=lambda r: r["loaded_at"], reverse=True)
    return pl.DataFrame(rows, schema={
        "batch_id": pl.Utf8, "loaded_at": pl.Datetime, "loaded_by": pl.Utf8, "source": pl.Utf8,
        "files": pl.Object, "rows_per_table": pl.Object, "outcome": pl.Utf8, "message": pl.Utf8,
    }) if rows else pl.DataFrame(schema={c: pl.Utf8 for c in COLUMNS})


def _files(value) -> list[dict]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


def _rows(value) -> dict:
    return json.loads(value) if isinstance(value, str) else dict(value or {})


def display(history: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The history as the page shows it: local time, outcome in words, files with their SHA-256."""
    if history.height == 0 or "source" not in history.columns:
        return pl.DataFrame(schema={t(f"loader.history.{c}", lang): pl.Utf8 for c in COLUMNS})
    frame = pl.DataFrame({
        "loaded_at": [_local(v) for v in history["loaded_at"]],
        "outcome": [t(f"loader.outcome.{o}", lang) if o in OUTCOMES else o for o in history["outcome"]],
        "loaded_by": history["loaded_by"].to_list(),
        "batch_id": history["batch_id"].to_list(),
        "files": ["\n".join(f"{f.get('name', '')} · SHA-256 {f.get('sha256', '')}" for f in files) or "–"
                  for files in history["files"]],
        "rows": [" · ".join(f"{table} {n:,}" for table, n in rows.items()) for rows in history["rows_per_table"]],
        "message": history["message"].to_list(),
    })
    return frame.rename({c: t(f"loader.history.{c}", lang) for c in COLUMNS})


def _local(value: dt.datetime) -> str:
    """Stored times are UTC; people read them in Korean time."""
    return value.replace(tzinfo=dt.UTC).astimezone(SEOUL).strftime("%Y-%m-%d %H:%M:%S")
