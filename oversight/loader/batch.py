"""One import is one batch: every file checked together, then all of it loaded or none of it.

    checked = check(submissions, db_path)      # read, parse, every rule; nothing is written
    outcome = load(checked, db_path, by="kim@agency.example")

`load` writes through `db.rebuild`: a copy of the live database gets the batch, derived tables
are rebuilt there, and the copy is swapped in whole, so readers see the old version or the new
one, never half a batch, and a loader killed at any moment leaves the old file as it was.
Loaders take a lock beside the database, so two loads never interleave; the dashboard's
readers take none.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import os
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl

from oversight import db, schema
from oversight.loader import cells, history, problems, rules, sources, staging

Progress = Callable[[str, float], None]
SEOUL = ZoneInfo("Asia/Seoul")
STALE_STAGING_SECONDS = 6 * 3600  # a '.building' file this old was left by a killed writer


class Busy(RuntimeError):
    """Another load holds the database's lock."""


@dataclass
class FileSummary:
    name: str
    sha256: str
    size: int
    tables: dict[str, int] = field(default_factory=dict)  # table -> rows read from this file

    def as_dict(self) -> dict:
        return {"name": self.name, "sha256": self.sha256, "bytes": self.size, "tables": self.tables}


@dataclass
class Checked:
    """A batch after every check: its typed rows, its problems and what loading it would change."""

    files: list[FileSummary]
    tables: dict[str, pl.DataFrame]
    problems: pl.DataFrame
    changes: dict[str, staging.Change]
    version: str | None  # the database version the batch was checked against
    seconds: float = 0.0
    # (institution_id, assessed_on) of DQD results: each replaces that assessment whole
    assessments: pl.DataFrame = field(default_factory=staging.no_assessments)

    @property
    def ok(self) -> bool:
        return self.problems.height == 0

    @property
    def rows(self) -> dict[str, int]:
        return {t: f.height for t, f in self.tables.items() if f.height}

    @property
    def changes_anything(self) -> bool:
        return any(c.new or c.changed or c.removed for c in self.changes.values())

    @property
    def content_hash(self) -> str:
        digest = hashlib.sha256()
        for f in sorted(self.files, key=lambda f: f.sha256):
            digest.update(bytes.fromhex(f.sha256))
        return digest.hexdigest()


@dataclass
class Outcome:
    batch_id: str
    outcome: str  # 'loaded', 'unchanged' or 'refused'
    checked: Checked
    changes: dict[str, staging.Change]
    loaded_at: dt.datetime
    dataset_kind: str | None = None
    swap_seconds: float = 0.0
    seconds: float = 0.0


def today() -> dt.date:
    """Today in Korea, the default data date of a load."""
    return dt.datetime.now(SEOUL).date()


def _version(path: Path) -> str | None:
    try:
        return db.file_version(path).token
    except db.DatabaseMissing:
        return None


def _note(progress: Progress | None, label: str, fraction: float) -> None:
    if progress is not None:
        progress(label, fraction)


def check(submissions: Sequence[sources.Submission], db_path: Path, *, max_bytes: int = sources.MAX_FILE_BYTES,
          progress: Progress | None = None) -> Checked:
    """Read and check a batch against the live database; writes nothing."""
    started = time.perf_counter()
    db_path = Path(db_path)
    version = _version(db_path)
    found: list[pl.DataFrame] = []
    summaries: list[FileSummary] = []
    typed: dict[str, list[pl.DataFrame]] = {}
    assessments = [staging.no_assessments()]
    for order, submission in enumerate(submissions):
        _note(progress, "reading", 0.05 + 0.4 * order / max(len(submissions), 1))
        sheets, file_problems = sources.read(submission, order, max_bytes)
        found.append(file_problems)
        summary = FileSummary(submission.name, submission.sha256, len(submission.data))
        for sheet in sheets:
            parsed, cell_problems = cells.parse(sheet)
            found.append(cell_problems)
            if sheet.whole_assessments:
                assessments.append(parsed.select(staging.ASSESSMENT))
            typed.setdefault(sheet.table, []).append(parsed)
            summary.tables[sheet.table] = summary.tables.get(sheet.table, 0) + sheet.rows
        summaries.append(summary)
    _check_repeated_files(summaries, found)

    _note(progress, "rows", 0.5)
    tables: dict[str, pl.DataFrame] = {}
    for table in schema.LOAD_ORDER:
        if table not in typed:
            continue
        frame = pl.concat(typed[table], how="vertical")
        checked_rows = rules.check_rows(table, frame)
        tables[table] = checked_rows.frame
        found.extend(checked_rows.problems)

    _note(progress, "references", 0.7)
    blocking = problems.combine(found).filter(pl.col("rule").str.contains(r"^(file|sheet)\.") | (pl.col("rule") == "header.missing"))
    whole = pl.concat(assessments).drop_nulls().unique()
    stage = staging.Stage(tables, db_path if version else None, whole)
    try:
        found.append(stage.duplicates())
        if blocking.height:
            # Rows of a file that could not be read are missing: references into them would
            # fail by the thousand and hide the real problem.
            found.append(problems.one("batch.references_skipped", order=len(submissions)))
        else:
            found.append(stage.references())
        _note(progress, "compare", 0.9)
        changes = stage.changes()
    finally:
        stage.close()
    if not any(frame.height for frame in tables.values()) and not blocking.height:
        found.append(problems.one("batch.empty", order=len(submissions)))
    _note(progress, "checked", 1.0)
    return Checked(summaries, tables, problems.combine(found), changes, version, time.perf_counter() - started, whole)


def _check_repeated_files(summaries: list[FileSummary], found: list[pl.DataFrame]) -> None:
    seen: dict[str, str] = {}
    for order, summary in enumerate(summaries):
        if summary.sha256 in seen:
            found.append(problems.one("file.repeated", file=summary.name, order=order, other=seen[summary.sha256]))
        seen.setdefault(summary.sha256, summary.name)


@contextlib.contextmanager
def locked(db_path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """The loader's lock beside the database (readers never take it)."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    handle = open(lock_path, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(str(db_path)) from None
                time.sleep(0.2)
        _remove_stale_staging(db_path)
        yield
    finally:
        handle.close()  # closing releases the lock


def _remove_stale_staging(db_path: Path) -> None:
    """Copies left behind by a writer that was killed mid-load (db.rebuild names them)."""
    now = time.time()
    for leftover in db_path.parent.glob(f".{db_path.name}.*.building*"):
        with contextlib.suppress(FileNotFoundError):
            if now - leftover.stat().st_mtime > STALE_STAGING_SECONDS:
                leftover.unlink()


def new_batch_id(checked: Checked, at: dt.datetime) -> str:
    """When, what (the files' combined hash) and a random part: the same files loaded twice in
    one second are still two attempts."""
    return f"import-{at:%Y%m%d-%H%M%S}-{checked.content_hash[:8]}-{secrets.token_hex(2)}"


def load(checked: Checked, db_path: Path, *, by: str, data_date: dt.date | None = None,
         progress: Progress | None = None, submissions: Sequence[sources.Submission] | None = None,
         max_bytes: int = sources.MAX_FILE_BYTES, wait_seconds: float = 0.0) -> Outcome:
    """Load a checked batch, all or nothing, and record it.

    Under the lock, the batch is checked again if the database changed since it was checked
    (pass `submissions` for that; without them a stale check is refused). A batch with problems
    is refused and changes nothing; a batch that would change nothing is 'unchanged' and
    changes nothing either; both are written to the history log beside the database.
    """
    started = time.perf_counter()
    db_path = Path(db_path)
    with locked(db_path, wait_seconds):
        if checked.version != _version(db_path):
            if submissions is None:
                raise Busy(f"{db_path} changed since the batch was checked")
            checked = check(submissions, db_path, max_bytes=max_bytes, progress=progress)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        batch_id = new_batch_id(checked, now)
        if not checked.ok:
            outcome = Outcome(batch_id, "refused", checked, checked.changes, now)
        elif not checked.changes_anything:
            outcome = Outcome(batch_id, "unchanged", checked, checked.changes, now)
        else:
            outcome = _write(checked, db_path, batch_id, now, by, data_date, progress)
        outcome.seconds = time.perf_counter() - started
        history.append(db_path, outcome_record(outcome, by))
    return outcome


def _write(checked: Checked, db_path: Path, batch_id: str, now: dt.datetime, by: str,
           data_date: dt.date | None, progress: Progress | None) -> Outcome:
    swap_started = time.perf_counter()
    _note(progress, "copy", 0.0)
    kind = None
    with db.rebuild(db_path, copy_existing=db_path.exists()) as con:
        con.execute("set enable_progress_bar = false")
        _note(progress, "apply", 0.4)
        changes = staging.apply(con, checked.tables, batch_id, checked.assessments)
        staging.record_batch(
            con, batch_id=batch_id, loaded_at=now, loaded_by=by,
            files=[f.as_dict() for f in checked.files], changes=changes,
            message=change_message(changes),
        )
        local_now = now.replace(tzinfo=dt.UTC).astimezone(SEOUL).replace(tzinfo=None)
        kind = staging.describe_dataset(con, data_date, local_now)
        _note(progress, "derived", 0.7)
    _note(progress, "swapped", 1.0)
    return Outcome(batch_id, "loaded", checked, changes, now, kind, time.perf_counter() - swap_started)


def change_message(changes: dict[str, staging.Change]) -> str:
    parts = [f"{t}: +{c.new} ~{c.changed} ={c.same}" for t, c in changes.items()]
    return "; ".join(parts)


def outcome_record(outcome: Outcome, by: str) -> dict:
    checked = outcome.checked
    first = checked.problems.head(1).to_dicts()
    return {
        "batch_id": outcome.batch_id,
        "loaded_at": outcome.loaded_at.isoformat(),
        "loaded_by": by,
        "source": "import",
        "files": [f.as_dict() for f in checked.files],
        "rows_per_table": {t: c.rows for t, c in outcome.changes.items()} or checked.rows,
        "outcome": outcome.outcome,
        "problems": checked.problems.height,
        "message": change_message(outcome.changes) if outcome.outcome != "refused"
        else (f"{checked.problems.height} problems; first: {first[0]['rule']} {first[0]['file']} row {first[0]['row']}" if first else ""),
    }


def import_files(paths_or_submissions, db_path: Path, *, by: str, data_date: dt.date | None = None,
                 progress: Progress | None = None, max_bytes: int = sources.MAX_FILE_BYTES,
                 wait_seconds: float = 0.0, check_only: bool = False) -> Outcome | Checked:
    """Check and load in one go, holding the lock throughout (the command line)."""
    submissions = [s if isinstance(s, sources.Submission) else sources.Submission.from_path(s)
                   for s in paths_or_submissions]
    db_path = Path(db_path)
    if check_only:
        return check(submissions, db_path, max_bytes=max_bytes, progress=progress)
    checked = check(submissions, db_path, max_bytes=max_bytes, progress=progress)
    outcome = load(checked, db_path, by=by, data_date=data_date, progress=progress,
                   submissions=submissions, max_bytes=max_bytes, wait_seconds=wait_seconds)
    outcome.seconds += checked.seconds
    return outcome


def user_name() -> str:
    import getpass
    import socket

    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except Exception:  # no user name in a container without a passwd entry
        return f"uid {os.getuid()}"
