"""Command line: python -m oversight COMMAND [--db PATH] ...

Every command takes --db PATH, which wins over OVERSIGHT_DB and data/oversight.duckdb.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from oversight import config


def _progress(label: str, fraction: float) -> None:
    print(f"  [{fraction:4.0%}] {label}", file=sys.stderr, flush=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from oversight import demo

    path = config.database_path(args.db)
    if path.exists() and args.if_missing:
        print(f"{path} exists; left as it is.")
        return 0
    started = time.perf_counter()
    counts = demo.build_demo(path, scale=args.scale, seed=args.seed, progress=_progress)
    rows = ", ".join(f"{table} {n:,}" for table, n in counts.get("rows", {}).items())
    print(f"Built {args.scale} demo data (seed {args.seed}) in {time.perf_counter() - started:.1f} s at {path}: {rows}")
    return 0


def cmd_refresh(args: argparse.Namespace) -> int:
    from oversight import db

    path = config.database_path(args.db)
    if not path.exists():
        print(f"{path} does not exist: build it with `python -m oversight demo` or import data.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    with db.rebuild(path):
        pass  # a rebuild recomputes every derived table before the swap
    print(f"Rebuilt the derived tables of {path} in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_info(args: argparse.Namespace) -> int:
    from oversight import db, queries

    runner = queries.DatabaseRunner(db.read_only(config.database_path(args.db)))
    for key, value in runner.run("dataset_info", {}).row(0, named=True).items():
        print(f"{key}: {value}")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m oversight", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--db", type=Path, help="database file (default: $OVERSIGHT_DB or data/oversight.duckdb)")
        sub.set_defaults(handler=handler)
        return sub

    demo = command("demo", cmd_demo, "build the synthetic demo database")
    demo.add_argument("--scale", choices=("tiny", "small", "medium", "large"), default="small")
    demo.add_argument("--seed", type=int, default=20260201)
    demo.add_argument("--if-missing", action="store_true", help="do nothing when the database exists")

    command("info", cmd_info, "what the database holds")
    command("refresh", cmd_refresh, "rebuild the derived tables (after upgrading the dashboard)")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
