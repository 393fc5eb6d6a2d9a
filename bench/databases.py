"""The demo databases the benchmark runs on, built once and kept in bench/cache/.

A database is rebuilt only when it is absent or when what it is built from changed: the
generator, the schema and the derived tables. A hash of those files is kept beside each file.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from oversight import queries

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "cache"
SCALES = ("small", "medium", "large")


def source_files(root: Path = ROOT) -> list[Path]:
    """What a demo database is built from."""
    fixed = [root / "oversight" / name for name in ("demo_names.py", "schema.py", "derived.py")]
    fixed += sorted((root / "oversight" / "demo").glob("*.py"))
    written = [p for pattern in ("derived_*.sql", "demo_*.sql", "record_*.sql") for p in (root / "queries").glob(pattern)]
    return [p for p in fixed if p.exists()] + sorted(written)


def source_hash(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def db_path(scale: str, cache: Path = CACHE) -> Path:
    return cache / f"{scale}.duckdb"


def is_current(scale: str, cache: Path = CACHE, root: Path = ROOT) -> bool:
    path, stamp = db_path(scale, cache), db_path(scale, cache).with_suffix(".hash")
    return path.exists() and stamp.exists() and stamp.read_text().strip() == source_hash(root)


def ensure(scale: str, log=print) -> tuple[Path, float | None]:
    """The database of a scale, built when absent or stale; returns (path, build seconds or None)."""
    path = db_path(scale)
    if is_current(scale):
        log(f"  {scale}: cached at {path.relative_to(ROOT)}")
        return path, None
    CACHE.mkdir(parents=True, exist_ok=True)
    stamp = path.with_suffix(".hash")
    stamp.unlink(missing_ok=True)
    log(f"  {scale}: building (python -m oversight demo --scale {scale}) ...")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "oversight", "demo", "--scale", scale, "--db", str(path)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - started
    stamp.write_text(source_hash() + "\n")
    log(f"  {scale}: built in {seconds:.0f} s")
    return path, seconds


def table_rows(path: Path) -> dict[str, int]:
    """Rows per table (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = queries.execute(con, "database_tables", {})["table_name"].to_list()
        # One statement per table: its name is an identifier, the one thing SQL text is built from.
        return {name: con.execute("select count(*) from " + queries.quote_identifier(name)).fetchone()[0]
                for name in names}
    finally:
        con.close()
