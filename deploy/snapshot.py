"""The database as a versioned file, for serving hosts that do not share a disk with the loader.

    python -m deploy.snapshot publish --db data/oversight.duckdb --to /srv/oversight-snapshots [--every 60]
    python -m deploy.snapshot fetch --from /srv/oversight-snapshots --db /var/lib/oversight/oversight.duckdb --every 60

`publish` (on the loading host, after a load, or every N seconds) copies the live file as
`oversight-YYYYMMDDTHHMMSSZ-<sha256 prefix>.duckdb` with its full SHA-256 in a `.sha256` file
beside it, under a temporary name renamed at the end, so nobody sees half a snapshot; it makes
none when the data equals the newest snapshot, and keeps the newest --keep. `fetch` (on each
serving host) takes the newest snapshot unless `<db>.snapshot` names it as installed already,
copies it beside the served file, checks its SHA-256 and swaps it in with os.replace, as a load
does: every replica on the host notices the new file at its next query (oversight/db.py). A
snapshot whose checksum does not match is refused and the served file stays as it was. Copying
the live file is safe: the loader never writes it in place but renames a new file over it, and a
copy under way reads the version it opened.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

NAME = re.compile(r"^oversight-(\d{8}T\d{6}Z)-([0-9a-f]{12})\.duckdb$")
CHUNK = 1 << 20


class SnapshotError(RuntimeError):
    """A snapshot that must not be served."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def snapshots(folder: Path) -> list[Path]:
    """Published snapshots, oldest first (their names sort by time)."""
    return sorted(p for p in Path(folder).iterdir() if NAME.match(p.name))


def publish(db: Path, folder: Path, keep: int = 5, now: dt.datetime | None = None) -> Path | None:
    """Copy `db` as a new snapshot; returns it, or None when the newest snapshot is the same data."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now(dt.timezone.utc)).strftime("%Y%m%dT%H%M%SZ")
    staging = folder / f".publish-{uuid.uuid4().hex}.part"
    try:
        shutil.copyfile(db, staging)  # one version: the file the loader had swapped in when it opened
        digest = sha256(staging)
        published = snapshots(folder)
        if published and published[-1].name.endswith(f"-{digest[:12]}.duckdb") \
                and Path(f"{published[-1]}.sha256").read_text(encoding="utf-8").split()[0] == digest:
            return None  # nothing loaded since the last snapshot
        target = folder / f"oversight-{stamp}-{digest[:12]}.duckdb"
        Path(f"{target}.sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
        os.replace(staging, target)  # the checksum exists before the snapshot does
    finally:
        staging.unlink(missing_ok=True)
    for old in snapshots(folder)[:-keep]:
        old.unlink()
        Path(f"{old}.sha256").unlink(missing_ok=True)
    return target


def fetch(folder: Path, db: Path) -> Path | None:
    """Swap the newest snapshot in when it differs from the served file; returns it, or None."""
    found = snapshots(folder)
    if not found:
        return None
    newest = found[-1]
    marker = installed_marker(db)
    if db.exists() and marker.exists() and marker.read_text(encoding="utf-8").strip() == newest.name:
        return None
    expected = Path(f"{newest}.sha256").read_text(encoding="utf-8").split()[0]
    db.parent.mkdir(parents=True, exist_ok=True)
    staging = db.with_name(f".{db.name}.{uuid.uuid4().hex}.fetching")
    try:
        shutil.copyfile(newest, staging)
        if sha256(staging) != expected:
            raise SnapshotError(f"{newest}: its SHA-256 does not match {newest}.sha256; the served file is unchanged")
        os.replace(staging, db)
    finally:
        staging.unlink(missing_ok=True)
    marker.write_text(newest.name + "\n", encoding="utf-8")
    return newest


def installed_marker(db: Path) -> Path:
    """Beside the served file: the name of the snapshot it was installed from."""
    return db.with_name(db.name + ".snapshot")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.snapshot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("publish", help="copy the live database as a new versioned snapshot, if it changed")
    out.add_argument("--db", type=Path, required=True)
    out.add_argument("--to", type=Path, required=True)
    out.add_argument("--keep", type=int, default=5)
    into = commands.add_parser("fetch", help="swap the newest snapshot in when it is new")
    into.add_argument("--from", dest="source", type=Path, required=True)
    into.add_argument("--db", type=Path, required=True)
    for command in (out, into):
        command.add_argument("--every", type=float, help="keep at it, every N seconds")
    args = parser.parse_args(argv)
    while True:
        try:
            if args.command == "publish" and (made := publish(args.db, args.to, keep=args.keep)):
                print(f"Published {made}", flush=True)
            elif args.command == "fetch" and (installed := fetch(args.source, args.db)):
                print(f"Serving {installed.name} at {args.db}", flush=True)
        except (OSError, SnapshotError) as exc:  # what is served stays; try again next time
            print(f"{args.command}: {exc}", file=sys.stderr, flush=True)
            if not args.every:
                return 1
        if not args.every:
            return 0
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
